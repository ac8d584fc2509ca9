using Floe.Features.Diagnostics;
using Floe.Features.Engine;

namespace Floe.Features.Computation;

/// <summary>
/// Splits encoded batches by UTC day of event time (a stable counting sort), filing each day's rows packed
/// (<see cref="FiledEvents"/>): the whole source waits in this form until its day comes. One batch at a time; the
/// day-ordered times and slot values go through buffers kept from batch to batch (a 1M-row batch spread over 30 days
/// left 20 bytes a row of per-day arrays behind, on the large-object heap, only to be packed and dropped), and the
/// columns are scattered, and the days packed, on up to <c>parallelism</c> workers.
/// </summary>
internal sealed class DayFiler(bool[] isFloat, int parallelism, long narrowFromEvents = DayFiler.NarrowFromEvents)
{
    /// <summary>
    /// Events filed before the filer packs the rest narrow (<see cref="PackedLongs"/>, <see cref="PackedIds"/>): the
    /// filed days wait beside the event arena and the first chunks, so on the 7-day bench set (10M events) narrow
    /// packing took the run's peak RSS from 508-513 to 451-459 MiB; a run of a million events files ~12 MB whatever
    /// the packing, and packing it narrow cost 1.7% of that job's instructions (callgrind), wide 0.4%.
    /// </summary>
    public const long NarrowFromEvents = 1L << 20;

    private long _filed;
    private int[] _dayOf = [];
    private int[] _entity = [];
    private long[] _time = [];
    private long[][] _bits = [];
    private Days? _prepared;

    /// <summary>Whether the next batch is packed narrow: once the events filed so far reach the threshold.</summary>
    internal bool Narrow => _filed >= narrowFromEvents;

    /// <summary>Pieces filed with the days and times a <see cref="Prepare"/> call gave.</summary>
    internal int FiledFromPrepared { get; private set; }

    /// <summary>Bytes of the buffers kept from batch to batch (day numbers, day-ordered times and slot values).</summary>
    internal long ScratchBytes
    {
        get
        {
            long bytes = (_dayOf.Length * 4L) + (_entity.Length * 4L) + (_time.Length * 8L);
            foreach (var b in _bits) { bytes += (b?.Length ?? 0) * 8L; }
            return bytes;
        }
    }

    // A batch's days: each row's day number, the days present (UTC day numbers) and their row counts and starts in
    // day order; with the times scattered into _time and packed per day when Times is set.
    private sealed record Days(long[] Time, int Length, int[] DayOf, long[] DayAt, int[] Counts, int[] Start, PackedLongs[]? Times);

    /// <summary>
    /// Numbers the days of <paramref name="time"/>'s first <paramref name="n"/> events and files their times, ahead of
    /// <see cref="File"/> for a piece with exactly these times (the same array and length): a batch's times are known
    /// once it is read, its entity ids and slot values only once encoded, so this half of the filing can run beside
    /// the encoding. Not beside another call on this filer (the buffers are shared); a later piece with other times is
    /// filed from scratch.
    /// </summary>
    public void Prepare(long[] time, int n)
    {
        var t0 = StageTimes.Now;
        _prepared = null;
        var (first, last) = n == 0 ? (0, 0) : Definitions.Durations.DayRange(time.AsSpan(0, n));
        if (first != last)
        {
            var days = Number(time, n, first, last);
            if (_time.Length < n) { _time = GC.AllocateUninitializedArray<long>(n); }
            ScatterToBuffer(time, days.DayOf, days.Start, _time, n);
            var packed = new PackedLongs[days.DayAt.Length];
            var buffer = _time;
            bool narrow = Narrow;
            Parallel.For(0, packed.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism - 1) }, d =>
            {
                packed[d] = PackedLongs.Pack(buffer, days.Start[d], days.Counts[d], false, narrow);
            });
            _prepared = days with { Times = packed };
        }
        StageTimes.Add(Stage.File, t0);
    }

    /// <summary>
    /// Files <paramref name="piece"/>'s events into <paramref name="days"/> (pieces of a day in filing order). With
    /// <paramref name="recycle"/>, the piece's entity and slot arrays that the filed events do not keep go there, for
    /// the next batch's encoding (which rents as many as one piece returns: the pool does not grow).
    /// </summary>
    public void File(EventChunk piece, SortedDictionary<long, List<FiledEvents>> days, ChunkArrays? recycle = null)
    {
        var t0 = StageTimes.Now;
        var time = piece.Time;
        int n = piece.Length;
        var prepared = _prepared is { } p && ReferenceEquals(p.Time, time) && p.Length == n ? p : null;
        _prepared = null;
        if (prepared is not null) { FiledFromPrepared++; }
        var (first, last) = prepared is not null ? (prepared.DayAt[0], prepared.DayAt[^1]) : Definitions.Durations.DayRange(time.AsSpan(0, n));
        if (first == last)
        {
            Filed(days, first, FiledEvents.Pack(piece, isFloat, Narrow));
        }
        else
        {
            var numbered = prepared ?? Number(time, n, first, last);
            var packed = piece.Columns.Count > 0 ? SplitAndPack(piece, numbered.DayOf, numbered.Counts) : ScatterAndPack(piece, numbered);
            for (int d = 0; d < numbered.DayAt.Length; d++)
            {
                if (packed[d] is { } events) { Filed(days, numbered.DayAt[d], events); }
            }
        }
        if (recycle is not null && piece.Columns.Count == 0)
        {
            // One day packs the piece itself, keeping an array only when it is exactly the piece's length (values
            // that did not pack, see PackedLongs; entity ids are always packed); several days are scattered into the
            // filer's buffers. Source columns kept for expressions could share arrays with the piece: then nothing is
            // recycled.
            bool oneDay = first == last;
            recycle.Ints.Return(piece.Entity);
            foreach (var bits in piece.SlotBits)
            {
                if (!oneDay || bits.Length != n) { recycle.Longs.Return(bits); }
            }
        }
        _filed += n;
        StageTimes.Add(Stage.File, t0);
    }

    // Numbers the days present and counts their rows.
    private Days Number(long[] time, int n, long first, long last)
    {
        if (_dayOf.Length < n) { _dayOf = GC.AllocateUninitializedArray<int>(n); }
        var (dayAt, counts) = NumberDays(time, n, first, last, _dayOf);
        var start = new int[dayAt.Length + 1];
        for (int d = 0; d < dayAt.Length; d++) { start[d + 1] = start[d] + counts[d]; }
        return new Days(time, n, _dayOf, dayAt, counts, start, null);
    }

    /// <summary>
    /// The UTC days of <paramref name="time"/>'s first <paramref name="n"/> events (days since 1970-01-01, from
    /// <paramref name="first"/> to <paramref name="last"/>): each event's day number into <paramref name="dayOf"/>,
    /// numbered by offset from the first when they span a sane range, else in sorted order of the days present; and
    /// the days numbered with their event counts.
    /// </summary>
    internal static (long[] DayAt, int[] Counts) NumberDays(long[] time, int n, long first, long last, int[] dayOf)
    {
        long[] dayAt;
        if (last - first < 1 << 16)
        {
            dayAt = new long[last - first + 1];
            for (int d = 0; d < dayAt.Length; d++) { dayAt[d] = first + d; }
            long dayStart = first * Definitions.Durations.MicrosPerDay;
            for (int i = 0; i < n; i++) { dayOf[i] = Definitions.Durations.DaysFrom(dayStart, time[i]); }
        }
        else
        {
            var index = new SortedDictionary<long, int>();
            for (int i = 0; i < n; i++) { index.TryAdd(Definitions.Durations.FloorDay(time[i]), 0); }
            dayAt = [.. index.Keys];
            for (int d = 0; d < dayAt.Length; d++) { index[dayAt[d]] = d; }
            for (int i = 0; i < n; i++) { dayOf[i] = index[Definitions.Durations.FloorDay(time[i])]; }
        }
        var counts = new int[dayAt.Length];
        for (int i = 0; i < n; i++) { counts[dayOf[i]]++; }
        return (dayAt, counts);
    }

    // Source columns (kept for expression features) split into per-day chunks, each packed.
    private FiledEvents?[] SplitAndPack(EventChunk piece, int[] dayOf, int[] counts)
    {
        var parts = piece.Split(dayOf, counts, parallelism);
        bool narrow = Narrow;
        var packed = new FiledEvents?[parts.Length];
        Parallel.For(0, parts.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, d =>
        {
            if (parts[d] is { } part) { packed[d] = FiledEvents.Pack(part, isFloat, narrow); }
        });
        return packed;
    }

    // Entity ids, times and slot values scattered into the kept buffers in day order, flags into per-day arrays (the
    // filed events keep those), then each day packed from its stretch of the buffers.
    // (Times already filed by Prepare are not scattered again.)
    private FiledEvents?[] ScatterAndPack(EventChunk piece, Days numbered)
    {
        var (dayOf, counts, start, times) = (numbered.DayOf, numbered.Counts, numbered.Start, numbered.Times);
        int n = piece.Length;
        int parts = counts.Length;
        int slots = piece.SlotBits.Length;
        if (times is null && _time.Length < n) { _time = GC.AllocateUninitializedArray<long>(n); }
        if (_entity.Length < n) { _entity = GC.AllocateUninitializedArray<int>(n); }
        if (_bits.Length != slots) { _bits = new long[slots][]; }
        // Times filed by Prepare were packed from the time buffer, which is free again: the first slot's values are
        // scattered there rather than into a buffer of their own (a 1M-event batch: 8 MB of fresh memory less,
        // each page of it a fault on a VM, on the path to the first chunk).
        bool slotInTimeBuffer = times is not null && slots > 0 && _time.Length >= n;
        for (int s = slotInTimeBuffer ? 1 : 0; s < slots; s++)
        {
            if (_bits[s] is null || _bits[s].Length < n) { _bits[s] = GC.AllocateUninitializedArray<long>(n); }
        }
        // A day's flags wait with its packed values, and beside them on the pinned heap when those are (PackedLongs.Pack).
        bool pinned = Narrow;
        var valid = new bool[]?[parts][];
        for (int d = 0; d < parts; d++)
        {
            valid[d] = new bool[]?[slots];
            for (int s = 0; s < slots; s++)
            {
                if (piece.SlotValid[s] is not null) { valid[d][s] = GC.AllocateUninitializedArray<bool>(counts[d], pinned && BitPacking.Pinned(counts[d])); }
            }
        }
        var timeBuffer = _time;
        var entityBuffer = _entity;
        var bitsBuffers = _bits;
        if (slotInTimeBuffer)
        {
            bitsBuffers = (long[][])_bits.Clone();
            bitsBuffers[0] = _time;
        }
        // Column 0 the entity ids, 1 the times, then each slot's bits and flags.
        Parallel.For(0, 2 + (2 * slots), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, c =>
        {
            if (c == 0)
            {
                var next = start.AsSpan(0, parts).ToArray();
                var src = piece.Entity;
                for (int i = 0; i < n; i++) { entityBuffer[next[dayOf[i]]++] = src[i]; }
            }
            else if (c == 1)
            {
                if (times is null) { ScatterToBuffer(piece.Time, dayOf, start, timeBuffer, n); }
            }
            else if ((c - 2) % 2 == 0)
            {
                ScatterToBuffer(piece.SlotBits[(c - 2) / 2], dayOf, start, bitsBuffers[(c - 2) / 2], n);
            }
            else if (piece.SlotValid[(c - 2) / 2] is { } present)
            {
                int s = (c - 2) / 2;
                var next = new int[parts];
                for (int i = 0; i < n; i++) { int d = dayOf[i]; valid[d][s]![next[d]++] = present[i]; }
            }
        });
        var packed = new FiledEvents?[parts];
        bool narrow = Narrow;
        var columns = new Dictionary<string, Floe.Core.Expressions.Evaluation.ValueVector>(StringComparer.Ordinal);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, d =>
        {
            if (counts[d] > 0)
            {
                var time = times?[d] ?? PackedLongs.Pack(timeBuffer, start[d], counts[d], false, narrow);
                packed[d] = FiledEvents.Pack(entityBuffer.AsSpan(start[d], counts[d]), time, bitsBuffers, start[d], valid[d], isFloat, columns, narrow);
            }
        });
        return packed;
    }

    private static void ScatterToBuffer(long[] source, int[] dayOf, int[] start, long[] destination, int n)
    {
        var next = start.AsSpan(0, start.Length - 1).ToArray();
        for (int i = 0; i < n; i++) { destination[next[dayOf[i]]++] = source[i]; }
    }

    private static void Filed(SortedDictionary<long, List<FiledEvents>> days, long day, FiledEvents events)
    {
        if (!days.TryGetValue(day, out var list)) { days[day] = list = []; }
        list.Add(events);
    }
}
