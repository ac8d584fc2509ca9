using Floe.Parquet.Reading;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// The view of a file that Parquet.Net decodes through: its bytes, then the substituted footer; a byte read past the
/// end is an error, never −1, which Parquet.Net's thrift varint reader takes as "more bytes follow" and loops on.
/// </summary>
public sealed class FooterSubstitutedStreamTests
{
    [Test]
    public void ReadByte_DataThenFooter_ThenPastTheEnd_Throws()
    {
        using var inner = new MemoryStream([1, 2, 3, 4, 5]);
        using var view = new FooterSubstitutedStream(inner, 3, [9, 8]);
        var read = new List<int>();
        for (int i = 0; i < view.Length; i++) { read.Add(view.ReadByte()); }

        Assert.That(read, Is.EqualTo(new[] { 1, 2, 3, 9, 8, 2, 0, 0, 0, (int)'P', (int)'A', (int)'R', (int)'1' }));
        Assert.That(() => view.ReadByte(), Throws.InstanceOf<InvalidDataException>());
        view.Position = view.Length + 100;
        Assert.That(() => view.ReadByte(), Throws.InstanceOf<InvalidDataException>());
        // Block reads keep the stream's usual end: 0 bytes.
        Assert.That(view.Read(new byte[4], 0, 4), Is.Zero);
    }
}
