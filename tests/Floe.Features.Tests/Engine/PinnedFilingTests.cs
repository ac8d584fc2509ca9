using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

/// <summary>
/// A large run's filed days (packed narrow) wait through the first chunks' collections: their words that would be
/// small objects go on the pinned object heap, which the GC sweeps but never compacts, so dropping computed days does
/// not make it copy the days still waiting. Large words stay on the large-object heap, and wide packing (a small
/// run's) stays where it was.
/// </summary>
[NonParallelizable]
public sealed class PinnedFilingTests
{
    private const int Days = 60;

    // 33k events (a day of a 1M-row batch over 30 days): ids and two-decimal amounts of 17 bits, ~70 KB of words each.
    [Test]
    public void NarrowSmallWords_AreOnThePinnedHeap()
    {
        var (packed, bytes) = PackDays(33_000, narrow: true, out long grown);
        Assert.That(grown, Is.GreaterThanOrEqualTo(bytes * 9 / 10), $"pinned heap grew {grown} bytes for {bytes} bytes of narrow words");
        GC.KeepAlive(packed);
    }

    // 66k events: ~140 KB of words each, large objects.
    [Test]
    public void NarrowLargeWords_AreNotOnThePinnedHeap()
    {
        var (packed, bytes) = PackDays(66_000, narrow: true, out long grown);
        Assert.That(grown, Is.LessThan(bytes / 10), $"pinned heap grew {grown} bytes for {bytes} bytes of large narrow words");
        GC.KeepAlive(packed);
    }

    // 20k events at 32 bits: ~80 KB of words each, small objects.
    [Test]
    public void WideWords_AreNotOnThePinnedHeap()
    {
        var (packed, bytes) = PackDays(20_000, narrow: false, out long grown);
        Assert.That(grown, Is.LessThan(bytes / 10), $"pinned heap grew {grown} bytes for {bytes} bytes of wide words");
        GC.KeepAlive(packed);
    }

    // Packs Days days of ids and amounts; grown: the pinned heap's size after a full collection, less its size before.
    private static (List<object> Packed, long Bytes) PackDays(int dayEvents, bool narrow, out long grown)
    {
        var rnd = new Random(3);
        var ids = new int[dayEvents];
        var amounts = new long[dayEvents];
        for (int i = 0; i < dayEvents; i++)
        {
            ids[i] = rnd.Next(100_000);
            amounts[i] = BitConverter.DoubleToInt64Bits(rnd.Next(100_000) / 100.0);
        }
        long before = PinnedHeapBytes();
        var packed = new List<object>();
        long bytes = 0;
        for (int d = 0; d < Days; d++)
        {
            var id = PackedIds.Pack(ids, narrow);
            var amount = PackedLongs.Pack(amounts, dayEvents, isDouble: true, narrow);
            Assert.That(id.BitsPerId, Is.EqualTo(narrow ? 17 : 32));
            Assert.That(amount.BitsPerValue, Is.EqualTo(narrow ? 17 : 32));
            bytes += id.Bytes + amount.Bytes;
            packed.Add(id);
            packed.Add(amount);
        }
        grown = PinnedHeapBytes() - before;
        return (packed, bytes);
    }

    // The pinned object heap's size after a blocking full collection (generation info 4: gen0, gen1, gen2, LOH, POH).
    private static long PinnedHeapBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).GenerationInfo[4].SizeAfterBytes;
    }
}
