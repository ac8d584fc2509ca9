using Floe.Parquet.Reading;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="ZstdDecoder"/>: the system libzstd path and the ZstdSharp path give the bytes ZstdSharp compressed, for
/// empty, small and multi-block frames at several levels, and a corrupt frame is InvalidData, not a crash.
/// </summary>
[TestFixture]
public sealed class ZstdDecoderTests
{
    private static readonly bool LibraryInstalled =
        File.Exists("/lib/x86_64-linux-gnu/libzstd.so.1") || File.Exists("/usr/lib/x86_64-linux-gnu/libzstd.so.1") || File.Exists("/usr/lib64/libzstd.so.1");

    [Test]
    public void Native_IsUsedBothWays_WhereTheSystemHasLibzstd()
    {
        if (!LibraryInstalled) Assert.Ignore("no system libzstd.so.1 here: pages go through ZstdSharp");
        var expected = Environment.GetEnvironmentVariable("FLOE_ZSTD") != "managed";
        Assert.That(ZstdDecoder.IsNative, Is.EqualTo(expected), "reading");
        Assert.That(Floe.Parquet.Writing.ZstdEncoder.IsNative, Is.EqualTo(expected), "writing");
    }

    [TestCase(0, 3)]
    [TestCase(1, 1)]
    [TestCase(1000, 3)]
    [TestCase(300_000, 1)]
    [TestCase(1_100_000, 3)]
    // Level 19 (the slow strategies) on 300 KB: three 128 KiB blocks still. ZstdSharp took ~2 s to compress 1.1 MB at
    // this level, and frames over 1 MiB are the case above.
    [TestCase(300_000, 19)]
    public void Decompress_BothPaths_ReturnTheCompressedBytes(int length, int level)
    {
        // Compressible but not trivial: small-alphabet runs, like dictionary indices and levels.
        var original = SmallAlphabet(new Random(length + level), length);
        using var compressor = new ZstdSharp.Compressor(level);
        var frame = compressor.Wrap(original).ToArray();
        var managed = new byte[length];
        Assert.That(ZstdDecoder.DecompressManaged(frame, managed), Is.EqualTo(length));
        Same.Sequence(managed, original);
        var chosen = new byte[length];
        Assert.That(ZstdDecoder.Decompress(frame, chosen), Is.EqualTo(length));
        Same.Sequence(chosen, original);
        if (!ZstdDecoder.IsNative) return;
        var native = new byte[length];
        Assert.That(ZstdDecoder.DecompressNative(frame, native), Is.EqualTo(length));
        Same.Sequence(native, original);
    }

    /// <summary>
    /// Runs of a 7-symbol alphabet (<c>i / 97 % 7</c>) with a random byte in place of about one in four: compressible,
    /// not trivially. The draws come from one <see cref="Random.NextBytes(byte[])"/> call, two bytes a position (below 64 of
    /// 256: a random byte, the second). Two <see cref="Random.Next(int)"/> calls a byte were more than half of the
    /// two zstd fixtures' CPU: this suite runs untiered, so the seeded generator's precompiled <c>Next(int)</c> is never
    /// recompiled and calls a helper for its double-to-int conversion (perf: <c>Double.ConvertToIntegerNative</c>).
    /// </summary>
    internal static byte[] SmallAlphabet(Random rng, int length)
    {
        var noise = new byte[2 * length];
        rng.NextBytes(noise);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = noise[2 * i] < 64 ? noise[2 * i + 1] : (byte)(i / 97 % 7);
        return bytes;
    }

    [Test]
    public void DecompressNative_CorruptOrTooLarge_IsInvalidData()
    {
        if (!ZstdDecoder.IsNative) Assert.Ignore("no native libzstd loaded");
        var original = new byte[5000];
        new Random(1).NextBytes(original);
        using var compressor = new ZstdSharp.Compressor(3);
        var frame = compressor.Wrap(original).ToArray();
        Assert.That(() => ZstdDecoder.DecompressNative(frame, new byte[4999]), Throws.TypeOf<InvalidDataException>(), "destination one byte short");
        var corrupt = (byte[])frame.Clone();
        for (var i = 4; i < corrupt.Length; i += 3) corrupt[i] ^= 0x5A;
        Assert.That(() => ZstdDecoder.DecompressNative(corrupt, new byte[5000]), Throws.TypeOf<InvalidDataException>());
    }
}
