using System.Runtime.InteropServices;
using Floe.Core.Errors;

namespace Floe.Native.Tests;

[TestFixture]
public sealed unsafe class Utf8MarshalTests
{
    [Test]
    public void ReadRequired_Null_ThrowsInvalidArgumentNamingParameter()
    {
        var error = Assert.Throws<FloeException>(() => Utf8Marshal.ReadRequired(null, "path"));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(error.Message, Is.EqualTo("path must not be NULL"));
    }

    [Test]
    public void ReadOptional_Null_ReturnsNull()
    {
        Assert.That(Utf8Marshal.ReadOptional(null, "name"), Is.Null);
    }

    [Test]
    public void ReadRequired_ValidUtf8_Decodes()
    {
        byte[] text = [.. "données/倉庫"u8, 0];
        fixed (byte* p = text)
        {
            Assert.That(Utf8Marshal.ReadRequired(p, "path"), Is.EqualTo("données/倉庫"));
        }
    }

    [TestCase(new byte[] { 0x61, 0xFF }, 1, TestName = "Decode_InvalidByte_NamesOffset")]
    [TestCase(new byte[] { 0x61, 0x62, 0xC0, 0xAF }, 2, TestName = "Decode_OverlongSequence_NamesOffset")]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 }, 0, TestName = "Decode_EncodedSurrogate_NamesOffset")]
    [TestCase(new byte[] { 0x61, 0xE5, 0x80 }, 1, TestName = "Decode_TruncatedSequence_NamesOffset")]
    public void Decode_InvalidUtf8_ThrowsInvalidArgument(byte[] bytes, int offset)
    {
        var error = Assert.Throws<FloeException>(() => Utf8Marshal.Decode(bytes, "path"));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(error.Message, Is.EqualTo($"path is not valid UTF-8 (byte {offset})"));
    }

    [Test]
    public void Alloc_RoundTripsThroughNativeMemory()
    {
        byte* p = Utf8Marshal.Alloc("héllo");
        try
        {
            Assert.That(Marshal.PtrToStringUTF8((nint)p), Is.EqualTo("héllo"));
        }
        finally
        {
            NativeMemory.Free(p);
        }
    }
}
