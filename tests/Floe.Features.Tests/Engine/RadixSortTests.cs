using Floe.Features.Engine;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Engine;

public sealed class RadixSortTests
{
    private const long Base = 1_700_000_000_000_000L;

    [TestCase(1, 5000, 10, 1000L, 1L, 1)]
    [TestCase(2, 20000, 3000, 86_400_000_000L, 1L, 1)]
    [TestCase(3, 10000, 1, 5L, 1L, 1)]
    // Whole milliseconds and whole seconds (the time part of the key shrinks), on several workers.
    [TestCase(4, 200_000, 100_000, 86_400_000L, 1000L, 4)]
    [TestCase(5, 150_000, 5000, 86_400L, 1_000_000L, 3)]
    // Many ties: a few instants, a few entities.
    [TestCase(6, 100_000, 7, 3L, 1000L, 8)]
    // Key and row index do not fit one word (rows move beside the keys).
    [TestCase(7, 70_000, 500_000, 1L << 44, 1L, 2)]
    [TestCase(8, 4096, 1, 1L, 1L, 2)]
    // Keys too wide to carry the row (50 key bits + 17 row bits): the rows travel beside them, and five passes leave
    // the sorted rows in the scratch array, which must be copied out (a 1-µs-step week of events, as a backfill reads).
    [TestCase(9, 70_000, 1000, 1L << 40, 1L, 2)]
    [TestCase(10, 70_000, 4000, 1L << 38, 1L, 1)]
    public void TrySortByEntityAndTime_RandomRows_MatchesStableSort(int seed, int n, int entities, long span, long step, int parallelism)
    {
        var rnd = new Random(seed);
        var entity = new int[n];
        var time = new long[n];
        for (int i = 0; i < n; i++)
        {
            entity[i] = rnd.Next(entities);
            time[i] = Base + (rnd.NextInt64(span) * step);
        }
        AssertSorted(entity, time, n, parallelism);
    }

    [TestCase(11, 1)]
    [TestCase(12, 4)]
    public void TrySortByEntityAndTime_ZipfEntities_MatchesStableSort(int seed, int parallelism)
    {
        // A few entities hold most rows (the feature bench's skew), times in whole milliseconds with duplicates.
        var rnd = new Random(seed);
        int n = 120_000, entities = 50_000;
        var weights = new double[entities];
        double total = 0;
        for (int e = 0; e < entities; e++) { total += weights[e] = 1.0 / (e + 1); }
        var cumulative = new double[entities];
        double running = 0;
        for (int e = 0; e < entities; e++) { running += weights[e] / total; cumulative[e] = running; }
        var entity = new int[n];
        var time = new long[n];
        for (int i = 0; i < n; i++)
        {
            int e = Array.BinarySearch(cumulative, rnd.NextDouble());
            entity[i] = Math.Min(entities - 1, e < 0 ? ~e : e);
            time[i] = Base + (rnd.NextInt64(60_000) * 1000);
        }
        AssertSorted(entity, time, n, parallelism);
    }

    /// <summary>
    /// Each block of the sorted keys finds its own entity runs' starts (see RadixSort): 65,536 rows on two workers make
    /// two blocks split at sorted row 32,768, and entity 0's run ends just before, at or just after it, so the second
    /// block starts inside a run, exactly on a run's start, or one row before one. Rows arrive shuffled.
    /// </summary>
    [TestCase(32_767)]
    [TestCase(32_768)]
    [TestCase(32_769)]
    public void TrySortByEntityAndTime_RunStartsAtTheBlockEdge_MatchesStableSort(int firstRun)
    {
        int n = 65_536;
        var rnd = new Random(firstRun);
        var entity = new int[n];
        var time = new long[n];
        for (int i = 0; i < n; i++)
        {
            entity[i] = i < firstRun ? 0 : 1 + ((i - firstRun) / 5000);
            time[i] = Base + (rnd.Next(86_400) * 1_000_000L);
        }
        // Shuffle the arrival order; the sort must still put entity 0's rows first.
        for (int i = n - 1; i > 0; i--)
        {
            int j = rnd.Next(i + 1);
            (entity[i], entity[j]) = (entity[j], entity[i]);
            (time[i], time[j]) = (time[j], time[i]);
        }
        AssertSorted(entity, time, n, 2);
    }

    /// <summary>
    /// The times' range and step are found per block on the workers and combined: rows in whole seconds except, in the
    /// last of four blocks only, the earliest and the latest time and one time off the whole millisecond. Taken from
    /// the first block alone, the step (a second) would merge distinct times and the range would cut the extremes.
    /// </summary>
    [TestCase(0)]
    [TestCase(1)]
    public void TrySortByEntityAndTime_RangeAndStepOnlyInTheLastBlock_MatchesStableSort(int odd)
    {
        int n = 4 * 32_768;
        var rnd = new Random(40 + odd);
        var entity = new int[n];
        var time = new long[n];
        for (int i = 0; i < n; i++)
        {
            entity[i] = rnd.Next(300);
            time[i] = Base + (rnd.Next(1, 86_000) * 1_000_000L);
        }
        int last = n - 1 - odd;
        time[last - 2] = Base - 5_000_000L;
        time[last - 1] = Base + (90_000 * 1_000_000L);
        // Off the whole millisecond (odd 0) or the whole second only (odd 1), beside a row of the same entity a
        // microsecond or a millisecond away, which a coarser step would give the same time.
        time[last] = Base + 1_000_000L + (odd == 0 ? 1 : 1000);
        entity[last] = 7;
        entity[last - 3] = 7;
        time[last - 3] = Base + 1_000_000L;
        AssertSorted(entity, time, n, 4);
    }

    [Test]
    public void TrySortByEntityAndTime_OneEntityOneInstant_KeepsArrivalOrder()
    {
        int n = 5000;
        AssertSorted(new int[n], Enumerable.Repeat(Base, n).ToArray(), n, 3);
    }

    [Test]
    public void TrySortByEntityAndTime_SortsOnlyTheFirstNRows()
    {
        // Pooled arrays are longer than the chunk: rows past n must not take part.
        int n = 6000;
        var rnd = new Random(21);
        var entity = new int[n + 100];
        var time = new long[n + 100];
        for (int i = 0; i < entity.Length; i++)
        {
            entity[i] = i < n ? rnd.Next(50) : 1_000_000;
            time[i] = i < n ? Base + rnd.Next(1000) : long.MaxValue;
        }
        AssertSorted(entity, time, n, 2);
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4095)]
    public void TrySortByEntityAndTime_SmallChunks_AreLeftToTheCountingSort(int n)
    {
        Assert.That(RadixSort.TrySortByEntityAndTime(new int[n], new long[n], n, n == 0 ? -1 : 0, new ChunkArrays(), 2, null, out _, out _), Is.False);
    }

    [TestCase(0, 1)]
    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3000, 2)]
    [TestCase(50_000, 4)]
    public void SortByEntityAndTime_AnySize_MatchesStableSort(int n, int parallelism)
    {
        // Through the chunk sorter: counting sort for small chunks, the radix sort for large ones.
        var rnd = new Random(n + 31);
        var entity = new int[n];
        var time = new long[n];
        for (int i = 0; i < n; i++)
        {
            entity[i] = rnd.Next(Math.Max(1, n / 10));
            time[i] = Base + rnd.Next(500);
        }
        var chunk = new EventChunk(n, [], entity, time, [], []);
        var (order, starts, sortedTime) = ChunkSorter.SortByEntityAndTime(chunk, parallelism, new ChunkArrays());
        Same.Sequence(order, Expected(entity, time, n));
        Same.Sequence(starts, ExpectedStarts(entity, order, n));
        Same.Sequence(sortedTime.AsSpan(0, n).ToArray(), order.Select(r => time[r]).ToArray());
    }

    private static void AssertSorted(int[] entity, long[] time, int n, int parallelism)
    {
        int maxId = n == 0 ? -1 : entity.AsSpan(0, n).ToArray().Max();
        var arrays = new ChunkArrays();
        // The reference order once, from the rows as given: both runs must give it (it was sorted again for the second
        // run, from the same rows; the tuples' sort was ~5 % of this suite's CPU).
        var expected = Expected(entity, time, n);
        // Twice with one pool: the second run gets the first run's (dirty) scratch arrays.
        for (int run = 0; run < 2; run++)
        {
            // Dirty too: the sorted times must all be written.
            var sortedTime = Enumerable.Repeat(-7L, n + 3).ToArray();
            Assert.That(RadixSort.TrySortByEntityAndTime(entity, time, n, maxId, arrays, parallelism, sortedTime, out var order, out var starts), Is.True);
            Same.Sequence(order, expected);
            Same.Sequence(starts, ExpectedStarts(entity, order, n));
            // Each sorted row's time, read back from its packed key (offset and step removed and restored).
            Same.Sequence(sortedTime.AsSpan(0, n).ToArray(), order.Select(r => time[r]).ToArray());
        }
    }

    // Array.Sort on (entity, time, row) tuples: unique keys, so its instability cannot matter.
    private static int[] Expected(int[] entity, long[] time, int n)
    {
        var keys = new (int Entity, long Time, int Row)[n];
        for (int i = 0; i < n; i++) { keys[i] = (entity[i], time[i], i); }
        Array.Sort(keys);
        return keys.Select(k => k.Row).ToArray();
    }

    private static int[] ExpectedStarts(int[] entity, int[] order, int n)
    {
        var starts = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || entity[order[i]] != entity[order[i - 1]]) { starts.Add(i); }
        }
        starts.Add(n);
        return [.. starts];
    }
}
