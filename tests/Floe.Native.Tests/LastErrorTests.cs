using System.Runtime.InteropServices;
using Floe.Core.Errors;

namespace Floe.Native.Tests;

[TestFixture]
public sealed unsafe class LastErrorTests
{
    private static (int Code, string? Category, string? Message) Read()
    {
        var record = LastError.Current;
        return (record->Code, Marshal.PtrToStringUTF8((nint)record->Category), Marshal.PtrToStringUTF8((nint)record->Message));
    }

    [Test]
    public void Current_FreshThread_IsNoError()
    {
        (int, string?, string?) seen = default;
        var thread = new Thread(() => seen = Read());
        thread.Start();
        thread.Join();

        Assert.That(seen, Is.EqualTo((0, "ok", "no error")));
    }

    [Test]
    public void Set_ThenCurrent_ReportsCodeCategoryMessage()
    {
        LastError.Set(FloeErrorCode.NotFound, "table 'a.b' not found");
        Assert.That(Read(), Is.EqualTo(((int)FloeErrorCode.NotFound, "not_found", "table 'a.b' not found")));

        LastError.Set(FloeErrorCode.Io, "second");
        Assert.That(Read(), Is.EqualTo(((int)FloeErrorCode.Io, "io", "second")));
    }

    [Test]
    public void Set_OnOtherThread_DoesNotTouchThisThread()
    {
        LastError.Set(FloeErrorCode.CommitConflict, "mine");
        var thread = new Thread(() => LastError.Set(FloeErrorCode.Io, "theirs"));
        thread.Start();
        thread.Join();

        Assert.That(Read().Message, Is.EqualTo("mine"));
    }

    [Test]
    public void Fail_Exception_RecordsPrefixedMessageAndReturnsCode()
    {
        int code = NativeCall.Fail(new ArgumentException("bad"), "floe_test");
        Assert.That(code, Is.EqualTo((int)FloeErrorCode.InvalidArgument));
        Assert.That(Read(), Is.EqualTo(((int)FloeErrorCode.InvalidArgument, "invalid_argument", "floe_test: bad")));
    }
}
