namespace Floe.Application.TrainingSets;

/// <summary>
/// The point-in-time (as-of) match: for each spine row, the latest feature row of the same entity whose time is at
/// or before the spine time, never a later one. Feature rows are bucketed by entity with a counting sort (stable,
/// so scan order survives within an entity) and each entity's run is sorted by (time, scan position) only when it
/// is not already in time order; each spine row then binary-searches its entity's run.
/// <para>Ties: among feature rows of one entity with the same time, the one that comes last in the snapshot's scan
/// order (data files in manifest order, rows in file order) wins. For a given snapshot that order is fixed, so
/// the result is deterministic.</para>
/// <para>Max age: with <c>maxAgeMicros</c>, a match whose time is more than that before the spine time is dropped
/// (age equal to the limit is kept).</para>
/// </summary>
internal static class AsOfJoin
{
    /// <summary>
    /// Returns, for each spine row, the <paramref name="featureRef"/> of its match or -1. Feature rows are given in
    /// scan order with their entity id (0..<paramref name="entities"/>-1, all valid) and time; spine rows with entity
    /// -1 or a null time (<see cref="TimeColumn.Null"/>) get -1.
    /// </summary>
    public static int[] Match(
        int entities,
        ReadOnlySpan<int> featureEntity,
        ReadOnlySpan<long> featureTime,
        ReadOnlySpan<int> featureRef,
        ReadOnlySpan<int> spineEntity,
        ReadOnlySpan<long> spineTime,
        long? maxAgeMicros)
    {
        var count = featureEntity.Length;
        var start = new int[entities + 1];
        for (var i = 0; i < count; i++) start[featureEntity[i] + 1]++;
        for (var e = 0; e < entities; e++) start[e + 1] += start[e];
        var next = new int[entities];
        Array.Copy(start, next, entities);
        var times = GC.AllocateUninitializedArray<long>(count);
        var refs = GC.AllocateUninitializedArray<int>(count);
        for (var i = 0; i < count; i++)
        {
            var at = next[featureEntity[i]]++;
            times[at] = featureTime[i];
            refs[at] = featureRef[i];
        }
        SortRuns(start, times, refs);

        var matches = GC.AllocateUninitializedArray<int>(spineEntity.Length);
        var limit = maxAgeMicros ?? long.MaxValue;
        for (var i = 0; i < spineEntity.Length; i++)
        {
            var e = spineEntity[i];
            var t = spineTime[i];
            matches[i] = -1;
            if (e < 0 || t == TimeColumn.Null) continue;
            int lo = start[e], hi = start[e + 1];
            // Upper bound: the first row of the run with time > t.
            while (lo < hi)
            {
                var mid = (int)((uint)(lo + hi) >> 1);
                if (times[mid] <= t) lo = mid + 1;
                else hi = mid;
            }
            if (lo == start[e]) continue;
            var k = lo - 1;
            if (t - times[k] > limit) continue;
            matches[i] = refs[k];
        }
        return matches;
    }

    private static void SortRuns(int[] start, long[] times, int[] refs)
    {
        Entry[]? scratch = null;
        for (var e = 0; e + 1 < start.Length; e++)
        {
            int lo = start[e], hi = start[e + 1];
            var sorted = true;
            for (var i = lo + 1; i < hi; i++)
            {
                if (times[i] < times[i - 1]) { sorted = false; break; }
            }
            if (sorted) continue;
            var length = hi - lo;
            if (scratch is null || scratch.Length < length) scratch = new Entry[Math.Max(length, 256)];
            var run = scratch.AsSpan(0, length);
            for (var i = 0; i < length; i++) run[i] = new Entry(times[lo + i], refs[lo + i]);
            // Refs grow with scan order, so ordering ties by ref keeps the last-scanned row last.
            run.Sort(default(EntryOrder));
            for (var i = 0; i < length; i++)
            {
                times[lo + i] = run[i].Time;
                refs[lo + i] = run[i].Ref;
            }
        }
    }

    private readonly record struct Entry(long Time, int Ref);

    private readonly struct EntryOrder : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y) => x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Ref.CompareTo(y.Ref);
    }
}
