using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

/// <summary>
/// Filed entity ids keep their distance from the smallest id in the bits the largest distance needs, and come back
/// as they were, whatever their range.
/// </summary>
public sealed class PackedIdsTests
{
    [TestCase(0, 1, 1)]
    [TestCase(7, 7, 0)]
    [TestCase(0, 99_999, 17)]
    [TestCase(50_000, 50_255, 8)]
    [TestCase(0, int.MaxValue, 31)]
    [TestCase(int.MinValue, int.MaxValue, 32)]
    public void Ids_RoundTrip_InTheWidthOfTheirRange(int low, int high, int width)
    {
        var rnd = new Random(low ^ high);
        foreach (int n in new[] { 1, 2, 31, 32, 33, 64, 5_000 })
        {
            var ids = new int[n];
            for (int i = 0; i < n; i++) { ids[i] = (int)rnd.NextInt64(low, (long)high + 1); }
            ids[0] = low;
            ids[n - 1] = n > 1 ? high : low;
            var wide = PackedIds.Pack(ids, narrow: false);
            Assert.That(Unpacked(wide, n), Is.EqualTo(ids), $"wide, n {n}");
            Assert.That(wide.BitsPerId, Is.EqualTo(32));
            var packed = PackedIds.Pack(ids);
            Assert.That(Unpacked(packed, n), Is.EqualTo(ids), $"n {n}");
            Assert.That(packed.Length, Is.EqualTo(n));
            if (n > 1)
            {
                Assert.That(packed.BitsPerId, Is.EqualTo(width), $"n {n}");
                Assert.That(packed.Bytes, Is.LessThanOrEqualTo((((long)n * packed.BitsPerId) + 63) / 64 * 8 + 16));
            }
        }
    }

    private static int[] Unpacked(PackedIds packed, int n)
    {
        var back = new int[n + 1];
        back[^1] = -42;
        packed.UnpackTo(back);
        Assert.That(back[^1], Is.EqualTo(-42), "writes past the ids");
        return back[..n];
    }

    [Test]
    public void NoIds_PackToNothing()
    {
        var packed = PackedIds.Pack([]);
        packed.UnpackTo([]);
        Assert.That(packed.Length, Is.Zero);
    }
}
