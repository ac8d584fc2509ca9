using System.Runtime.InteropServices;
using Floe.Core.Errors;
using Floe.Native.Exports;
using Floe.Native.Interop;

namespace Floe.Native.Tests.Exports;

/// <summary>Calls the warehouse exports through unmanaged function pointers, as a C caller would.</summary>
[TestFixture]
public sealed unsafe class WarehouseExportsTests
{
    private static readonly delegate* unmanaged<nint*, byte*, int> Open = &WarehouseExports.Open;
    private static readonly delegate* unmanaged<nint, void> Close = &WarehouseExports.Close;
    private static readonly delegate* unmanaged<FloeBuf*, nint, int> GetPath = &WarehouseExports.GetPath;
    private static readonly delegate* unmanaged<FloeBuf*, void> FreeBuf = &BufferExports.Free;

    private static int OpenAt(string? path, out nint handle)
    {
        nint h = 0;
        int code;
        if (path is null)
        {
            code = Open(&h, null);
        }
        else
        {
            byte[] bytes = [.. System.Text.Encoding.UTF8.GetBytes(path), 0];
            fixed (byte* p = bytes)
            {
                code = Open(&h, p);
            }
        }

        handle = h;
        return code;
    }

    private static string LastMessage() => Marshal.PtrToStringUTF8((nint)LastError.Current->Message)!;

    [Test]
    public void Open_ThenPath_ReturnsAbsoluteFolder()
    {
        Assert.That(OpenAt("/tmp/wh", out nint handle), Is.Zero);
        var buffer = default(FloeBuf);
        Assert.That(GetPath(&buffer, handle), Is.Zero);
        Assert.That(Marshal.PtrToStringUTF8((nint)buffer.Data, (int)buffer.Len), Is.EqualTo("/tmp/wh"));
        Assert.That(buffer.Data[buffer.Len], Is.Zero);
        FreeBuf(&buffer);
        Assert.That(buffer.Len, Is.EqualTo((nuint)0));
        Close(handle);
    }

    [Test]
    public void Open_NullPath_ReturnsInvalidArgument()
    {
        Assert.That(OpenAt(null, out nint handle), Is.EqualTo((int)FloeErrorCode.InvalidArgument));
        Assert.That(handle, Is.EqualTo((nint)0));
        Assert.That(LastMessage(), Is.EqualTo("floe_warehouse_open: path must not be NULL"));
    }

    [Test]
    public void Open_EmptyPath_ReturnsInvalidArgument()
    {
        Assert.That(OpenAt("", out _), Is.EqualTo((int)FloeErrorCode.InvalidArgument));
        Assert.That(LastMessage(), Is.EqualTo("floe_warehouse_open: path must not be empty"));
    }

    [Test]
    public void Path_ClosedHandle_ReturnsInvalidHandleAndEmptyBuffer()
    {
        OpenAt("/tmp/wh", out nint handle);
        Close(handle);
        var buffer = new FloeBuf { Data = (byte*)1, Len = 5 };
        Assert.That(GetPath(&buffer, handle), Is.EqualTo((int)FloeErrorCode.InvalidHandle));
        Assert.That(buffer.Data == null && buffer.Len == 0, Is.True);
    }

    [Test]
    public void Close_ForgedHandle_RecordsInvalidHandleWithoutThrowing()
    {
        Close(0x1234);
        Assert.That(LastError.Current->Code, Is.EqualTo((int)FloeErrorCode.InvalidHandle));
    }
}
