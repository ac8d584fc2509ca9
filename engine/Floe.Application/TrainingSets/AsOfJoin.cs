namespace Floe.Application.TrainingSets;

/// <summary>
/// The point-in-time (as-of) match: for each spine row, the latest feature row of the same entity whose time is at
/// or before the spine time, never a later one.
/// <para>The spine, the smaller side, is indexed: its rows bucketed by entity (counting sort) and each entity's
/// run sorted by time. Feature rows then stream past in any order: each finds, by binary search in its entity's
/// run, the first spine row at or after its time and offers itself there (a slot keeps the greatest (time, ref)
/// offered); a prefix maximum along each run then hands every spine row the latest feature at or before its time.
/// Feature rows are neither sorted nor kept beyond their offer, and because a maximum does not depend on the order
/// of offers, threads can offer into their own <see cref="Offers"/> and merge them.</para>
/// <para>Ties: among feature rows of one entity with the same time, the greatest ref wins; callers number refs in
/// the snapshot's scan order (data files in manifest order, rows in file order), so the last one scanned wins. For
/// a given snapshot that order is fixed, so the result is deterministic.</para>
/// <para>Max age: with <c>maxAgeMicros</c>, a match whose time is more than that before the spine time is dropped
/// (age equal to the limit is kept).</para>
/// </summary>
internal sealed class AsOfJoin
{
    private readonly int[] _start;
    private readonly long[] _times;
    private readonly int[] _rows;
    private readonly int _spineRows;

    /// <summary>
    /// Indexes the spine: <paramref name="entity"/> ids in [0, <paramref name="entities"/>) (-1: none) and times
    /// (<see cref="TimeColumn.Null"/>: none) per spine row.
    /// </summary>
    public AsOfJoin(int entities, ReadOnlySpan<int> entity, ReadOnlySpan<long> time)
    {
        _spineRows = entity.Length;
        _start = new int[entities + 1];
        for (var i = 0; i < entity.Length; i++)
        {
            if (entity[i] >= 0 && time[i] != TimeColumn.Null) _start[entity[i] + 1]++;
        }
        for (var e = 0; e < entities; e++) _start[e + 1] += _start[e];
        var next = new int[entities];
        Array.Copy(_start, next, entities);
        _times = GC.AllocateUninitializedArray<long>(_start[entities]);
        _rows = GC.AllocateUninitializedArray<int>(_start[entities]);
        for (var i = 0; i < entity.Length; i++)
        {
            if (entity[i] < 0 || time[i] == TimeColumn.Null) continue;
            var at = next[entity[i]]++;
            _times[at] = time[i];
            _rows[at] = i;
        }
        SortRuns();
    }

    /// <summary>Slots: one per spine row with an entity and a time.</summary>
    public int Slots => _times.Length;

    /// <summary>The slot where a feature of <paramref name="entity"/> at <paramref name="time"/> is offered, or -1 when no spine row of that entity is at or after it.</summary>
    public int Locate(int entity, long time)
    {
        int lo = _start[entity], hi = _start[entity + 1];
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (_times[mid] < time) lo = mid + 1;
            else hi = mid;
        }
        return lo < _start[entity + 1] ? lo : -1;
    }

    /// <summary>
    /// Resolves the offers: for each spine row, the ref of its match or -1 (no feature at or before its time, or
    /// the latest one older than <paramref name="maxAgeMicros"/>).
    /// </summary>
    public long[] Finish(Offers offers, long? maxAgeMicros)
    {
        var matches = new long[_spineRows];
        Array.Fill(matches, -1L);
        for (var e = 0; e + 1 < _start.Length; e++)
        {
            long bestTime = TimeColumn.Null, bestRef = -1;
            for (var p = _start[e]; p < _start[e + 1]; p++)
            {
                var t = offers.Times[p];
                var r = offers.Refs[p];
                if (r >= 0 && (t > bestTime || (t == bestTime && r > bestRef)))
                {
                    bestTime = t;
                    bestRef = r;
                }
                if (bestRef >= 0 && (maxAgeMicros is not { } limit || _times[p] - bestTime <= limit)) matches[_rows[p]] = bestRef;
            }
        }
        return matches;
    }

    private void SortRuns()
    {
        Entry[]? scratch = null;
        for (var e = 0; e + 1 < _start.Length; e++)
        {
            int lo = _start[e], hi = _start[e + 1];
            var sorted = true;
            for (var i = lo + 1; i < hi; i++)
            {
                if (_times[i] < _times[i - 1]) { sorted = false; break; }
            }
            if (sorted) continue;
            var length = hi - lo;
            if (scratch is null || scratch.Length < length) scratch = new Entry[Math.Max(length, 256)];
            var run = scratch.AsSpan(0, length);
            for (var i = 0; i < length; i++) run[i] = new Entry(_times[lo + i], _rows[lo + i]);
            run.Sort(default(EntryOrder));
            for (var i = 0; i < length; i++)
            {
                _times[lo + i] = run[i].Time;
                _rows[lo + i] = run[i].Row;
            }
        }
    }

    /// <summary>The best (time, ref) offered at each slot; merge the offers of several threads with <see cref="Merge"/>.</summary>
    internal sealed class Offers
    {
        /// <summary>Empty offers for <paramref name="slots"/> slots.</summary>
        public Offers(int slots)
        {
            Times = GC.AllocateUninitializedArray<long>(slots);
            Refs = new long[slots];
            Array.Fill(Refs, -1L);
        }

        /// <summary>Time of the best offer per slot (meaningless where <see cref="Refs"/> is -1).</summary>
        public long[] Times { get; }

        /// <summary>Ref of the best offer per slot, -1 where none.</summary>
        public long[] Refs { get; }

        /// <summary>Offers a feature row at <paramref name="slot"/>; it stays when its (time, ref) is the greatest so far.</summary>
        public void Offer(int slot, long time, long reference)
        {
            var r = Refs[slot];
            if (r < 0 || time > Times[slot] || (time == Times[slot] && reference > r))
            {
                Times[slot] = time;
                Refs[slot] = reference;
            }
        }

        /// <summary>Takes the better offer of this and <paramref name="other"/> per slot.</summary>
        public void Merge(Offers other)
        {
            for (var p = 0; p < Refs.Length; p++)
            {
                if (other.Refs[p] >= 0) Offer(p, other.Times[p], other.Refs[p]);
            }
        }
    }

    private readonly record struct Entry(long Time, int Row);

    private readonly struct EntryOrder : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y) => x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Row.CompareTo(y.Row);
    }
}
