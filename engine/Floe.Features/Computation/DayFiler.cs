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
internal sealed class DayFiler(bool[] isFloat, int parallelism)
{
    private int[] _dayOf = [];
    private long[] _time = [];
    private long[][] _bits = [];

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
        var (first, last) = Definitions.Durations.DayRange(time.AsSpan(0, n));
        if (first == last)
        {
            Filed(days, first, FiledEvents.Pack(piece, isFloat));
        }
        else
        {
            // Number the days present: by offset when they span a sane range, else in sorted order.
            if (_dayOf.Length < n) { _dayOf = GC.AllocateUninitializedArray<int>(n); }
            var dayOf = _dayOf;
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
            var packed = piece.Columns.Count > 0 ? SplitAndPack(piece, dayOf, counts) : ScatterAndPack(piece, dayOf, counts);
            for (int d = 0; d < dayAt.Length; d++)
            {
                if (packed[d] is { } events) { Filed(days, dayAt[d], events); }
            }
        }
        if (recycle is not null && piece.Columns.Count == 0)
        {
            // One day packs the piece itself, keeping an array only when it is exactly the piece's length (values
            // that did not pack, see PackedLongs); several days are scattered into arrays of their own. Source
            // columns kept for expressions could share arrays with the piece: then nothing is recycled.
            bool oneDay = first == last;
            if (!oneDay || piece.Entity.Length != n) { recycle.Ints.Return(piece.Entity); }
            foreach (var bits in piece.SlotBits)
            {
                if (!oneDay || bits.Length != n) { recycle.Longs.Return(bits); }
            }
        }
        StageTimes.Add(Stage.File, t0);
    }

    // Source columns (kept for expression features) split into per-day chunks, each packed.
    private FiledEvents?[] SplitAndPack(EventChunk piece, int[] dayOf, int[] counts)
    {
        var parts = piece.Split(dayOf, counts, parallelism);
        var packed = new FiledEvents?[parts.Length];
        Parallel.For(0, parts.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, d =>
        {
            if (parts[d] is { } part) { packed[d] = FiledEvents.Pack(part, isFloat); }
        });
        return packed;
    }

    // Times and slot values scattered into the kept buffers in day order, entity ids and flags into per-day arrays
    // (the filed events keep those), then each day packed from its stretch of the buffers.
    private FiledEvents?[] ScatterAndPack(EventChunk piece, int[] dayOf, int[] counts)
    {
        int n = piece.Length;
        int parts = counts.Length;
        int slots = piece.SlotBits.Length;
        if (_time.Length < n) { _time = GC.AllocateUninitializedArray<long>(n); }
        if (_bits.Length != slots) { _bits = new long[slots][]; }
        for (int s = 0; s < slots; s++)
        {
            if (_bits[s] is null || _bits[s].Length < n) { _bits[s] = GC.AllocateUninitializedArray<long>(n); }
        }
        var start = new int[parts + 1];
        for (int d = 0; d < parts; d++) { start[d + 1] = start[d] + counts[d]; }
        var entity = new int[parts][];
        var valid = new bool[]?[parts][];
        for (int d = 0; d < parts; d++)
        {
            entity[d] = GC.AllocateUninitializedArray<int>(counts[d]);
            valid[d] = new bool[]?[slots];
            for (int s = 0; s < slots; s++)
            {
                if (piece.SlotValid[s] is not null) { valid[d][s] = GC.AllocateUninitializedArray<bool>(counts[d]); }
            }
        }
        var timeBuffer = _time;
        var bitsBuffers = _bits;
        // Column 0 the entity ids, 1 the times, then each slot's bits and flags.
        Parallel.For(0, 2 + (2 * slots), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, c =>
        {
            if (c == 0)
            {
                var next = new int[parts];
                var src = piece.Entity;
                for (int i = 0; i < n; i++) { int d = dayOf[i]; entity[d][next[d]++] = src[i]; }
            }
            else if (c == 1)
            {
                ScatterToBuffer(piece.Time, dayOf, start, timeBuffer, n);
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
        var columns = new Dictionary<string, Floe.Core.Expressions.Evaluation.ValueVector>(StringComparer.Ordinal);
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, d =>
        {
            if (counts[d] > 0) { packed[d] = FiledEvents.Pack(entity[d], timeBuffer, bitsBuffers, start[d], valid[d], isFloat, columns); }
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
