using Floe.Parquet;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="DirectFileStream"/> writes past the page cache in aligned blocks from two buffers, one on the disk while
/// the other fills: whatever the sizes of the writes, a flush in the middle and the final partial block, the file must
/// hold exactly the bytes written, no padding, nothing lost or written twice.
/// </summary>
public sealed class DirectFileStreamTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-direct-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Write_UnevenPiecesAcrossBuffersWithAFlush_FileHoldsExactlyTheBytes()
    {
        var path = Path.Combine(_dir, "direct.bin");
        var expected = new byte[(5 << 20) + 12_345];
        new Random(7).NextBytes(expected);
        using (var stream = DirectFileStream.Create(path))
        {
            Assume.That(stream, Is.InstanceOf<DirectFileStream>(), "this file system takes no O_DIRECT");
            var random = new Random(11);
            int at = 0;
            bool flushed = false;
            while (at < expected.Length)
            {
                // Pieces from one byte to past a whole buffer, so writes both fill buffers partway and span two.
                int n = Math.Min(expected.Length - at, random.Next(4) == 0 ? random.Next(1, 16) : random.Next(1, 3 << 20));
                stream.Write(expected.AsSpan(at, n));
                at += n;
                if (!flushed && at > (3 << 20))
                {
                    // Mid-block: the padded block goes out now and must be rewritten by what follows.
                    stream.Flush();
                    flushed = true;
                    Assert.That(new FileInfo(path).Length, Is.EqualTo(at));
                }
                Assert.That(stream.Length, Is.EqualTo(at));
            }
        }
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(expected));
    }

    [Test]
    public void Write_FewerBytesThanABlock_FileNotPadded()
    {
        var path = Path.Combine(_dir, "small.bin");
        using (var stream = DirectFileStream.Create(path))
        {
            stream.Write("PAR1"u8);
            stream.WriteByte(42);
        }
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { (byte)'P', (byte)'A', (byte)'R', (byte)'1', 42 }));
    }

    [Test]
    public void Create_OverALongerFile_TruncatesIt()
    {
        var path = Path.Combine(_dir, "again.bin");
        File.WriteAllBytes(path, new byte[3 << 20]);
        using (var stream = DirectFileStream.Create(path))
        {
            stream.Write(new byte[] { 1, 2, 3 });
        }
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }
}
