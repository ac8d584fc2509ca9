using Floe.Parquet.Reading;
using Floe.Parquet.Writing;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="ZstdEncoder"/>: frames from the system libzstd and from ZstdSharp both decode, with either decoder, to
/// the bytes compressed, for empty, tiny, incompressible, compressible and multi-block pages at several levels, with
/// one context reused across pages of different sizes as the writer's pool does.
/// </summary>
[TestFixture]
public sealed class ZstdEncoderTests
{
    // Pages as the writer produces them: none, a few bytes, random bytes (incompressible: zstd stores raw blocks),
    // long runs, small-alphabet noise like levels and dictionary indices, and a page over zstd's 128 KiB block.
    private static IEnumerable<(string Name, byte[] Bytes)> Pages(int seed)
    {
        var rng = new Random(seed);
        yield return ("empty", Array.Empty<byte>());
        yield return ("one byte", new[] { (byte)rng.Next(256) });
        var random = new byte[300_000];
        rng.NextBytes(random);
        yield return ("random 300k", random);
        yield return ("zeros 64k", new byte[65_536]);
        yield return ("small alphabet 1.1M", ZstdDecoderTests.SmallAlphabet(rng, 1_100_000));
        var doubles = new byte[8 * 20_000];
        for (var i = 0; i < 20_000; i++) BitConverter.TryWriteBytes(doubles.AsSpan(8 * i), Math.Round(rng.NextDouble() * 1000, 2));
        yield return ("2-decimal doubles", doubles);
        var tail = new byte[12_345];
        rng.NextBytes(tail.AsSpan(0, 100));
        yield return ("short random head", tail);
    }

    [TestCase(false, 1)]
    [TestCase(false, 2)]
    [TestCase(false, 3)]
    [TestCase(true, 1)]
    [TestCase(true, 2)]
    [TestCase(true, 3)]
    [TestCase(true, 9)]
    [TestCase(true, -3)]
    public void Compress_EitherEncoder_EitherDecoderReturnsTheBytes(bool native, int level)
    {
        if (native && !ZstdEncoder.IsNative) Assert.Ignore("no native libzstd loaded");
        using var encoder = native ? ZstdEncoder.CreateNative(new ZstdEffort(level)) : ZstdEncoder.CreateManaged(new ZstdEffort(level));
        Assert.That(encoder.Native, Is.EqualTo(native));
        foreach (var (name, page) in Pages(level + (native ? 100 : 0)))
        {
            var frame = new byte[ZstdEncoder.Bound(page.Length)];
            var length = encoder.Compress(page, frame);
            Assert.That(length, Is.GreaterThan(0).And.LessThanOrEqualTo(frame.Length), name);
            if (name.StartsWith("zeros", StringComparison.Ordinal)) Assert.That(length, Is.LessThan(100), $"{name}: not compressed");
            var body = frame.AsSpan(0, length);

            var managed = new byte[page.Length];
            Assert.That(ZstdDecoder.DecompressManaged(body, managed), Is.EqualTo(page.Length), $"{name}: ZstdSharp length");
            Same.Sequence(managed, page, $"{name}: ZstdSharp bytes");
            if (!ZstdDecoder.IsNative) continue;
            var decoded = new byte[page.Length];
            Assert.That(ZstdDecoder.DecompressNative(body, decoded), Is.EqualTo(page.Length), $"{name}: libzstd length");
            Same.Sequence(decoded, page, $"{name}: libzstd bytes");
        }
    }

    [Test]
    public void Compress_NativeAndManagedAtOneLevel_SameSizeWithinAFewPercent()
    {
        // Both compress with ZSTD_compress2 and only the level set; different zstd versions may still differ a little.
        if (!ZstdEncoder.IsNative) Assert.Ignore("no native libzstd loaded");
        using var native = ZstdEncoder.CreateNative(new ZstdEffort(2));
        using var managed = ZstdEncoder.CreateManaged(new ZstdEffort(2));
        foreach (var (name, page) in Pages(7))
        {
            if (page.Length < 1000) continue;
            var frame = new byte[ZstdEncoder.Bound(page.Length)];
            var n = native.Compress(page, frame);
            var m = managed.Compress(page, frame);
            Assert.That(n, Is.InRange(m * 0.95 - 16, m * 1.05 + 16), name);
        }
    }

    /// <summary>
    /// The fast levels look for 5-byte matches (<see cref="ZstdEncoder.FastMinMatch"/>), not the level's default 6: running
    /// sums of 2-decimal amounts, as the feature output's sum columns hold, come out smaller than at the level's defaults.
    /// 512 KiB, above the 256 KiB up to which zstd picks other parameters by size.
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void Compress_FastLevel_FiveByteMatches_SmallerThanTheLevelsDefaults(bool native)
    {
        if (native && !ZstdEncoder.IsNative) Assert.Ignore("no native libzstd loaded");
        var rng = new Random(5);
        var page = new byte[8 * 65_536];
        for (var i = 0; i < 65_536; i++)
        {
            var sum = 0.0;
            for (int k = rng.Next(1, 21); k > 0; k--) sum += Math.Round(rng.NextDouble() * 500, 2);
            BitConverter.TryWriteBytes(page.AsSpan(8 * i), sum);
        }
        var frame = new byte[ZstdEncoder.Bound(page.Length)];
        using var encoder = native ? ZstdEncoder.CreateNative(new ZstdEffort(-1)) : ZstdEncoder.CreateManaged(new ZstdEffort(-1));
        var ours = encoder.Compress(page, frame);
        int defaults;
        if (native)
        {
            using var context = Floe.Parquet.Compression.LibZstd.Context.ForCompression(-1);
            defaults = Floe.Parquet.Compression.LibZstd.Compress(context, page, frame);
        }
        else
        {
            using var compressor = new ZstdSharp.Compressor(-1);
            defaults = compressor.Wrap(page, frame);
        }
        Assert.That(ours, Is.LessThan(defaults * 0.995), $"fast level: {ours} bytes, with the level's defaults {defaults}");
        var decoded = new byte[page.Length];
        Assert.That(ZstdDecoder.DecompressManaged(frame.AsSpan(0, encoder.Compress(page, frame)), decoded), Is.EqualTo(page.Length));
        Same.Sequence(decoded, page);
    }

    [Test]
    public void Compress_DestinationBelowTheBound_NativeThrowsInsteadOfWritingPast()
    {
        if (!ZstdEncoder.IsNative) Assert.Ignore("no native libzstd loaded");
        var page = new byte[10_000];
        new Random(3).NextBytes(page);
        using var encoder = ZstdEncoder.CreateNative(new ZstdEffort(2));
        Assert.That(() => encoder.Compress(page, new byte[100]), Throws.TypeOf<InvalidOperationException>());
        // The context still works after a failed call.
        var frame = new byte[ZstdEncoder.Bound(page.Length)];
        var length = encoder.Compress(page, frame);
        var decoded = new byte[page.Length];
        Assert.That(ZstdDecoder.DecompressManaged(frame.AsSpan(0, length), decoded), Is.EqualTo(page.Length));
        Same.Sequence(decoded, page);
    }

    [Test]
    public void Dispose_Twice_IsHarmless_AndADisposedNativeContextIsRefused()
    {
        var encoder = ZstdEncoder.IsNative ? ZstdEncoder.CreateNative(new ZstdEffort(3)) : ZstdEncoder.CreateManaged(new ZstdEffort(3));
        encoder.Dispose();
        Assert.That(encoder.Dispose, Throws.Nothing);
        if (!encoder.Native) return;
        // Not a call into libzstd with a freed (null) context.
        Assert.That(() => encoder.Compress(new byte[10], new byte[ZstdEncoder.Bound(10)]), Throws.TypeOf<ObjectDisposedException>());
    }
}
