using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Engine;

/// <summary>
/// Encoded events waiting for their day's turn (a batch run over files reads every event before computing the first
/// day): an <see cref="EventChunk"/> with its entity ids, times and slot values packed (<see cref="PackedIds"/>,
/// <see cref="PackedLongs"/>): 12 bytes an event instead of 20 when times are whole milliseconds or time-ordered and
/// values short decimals, and packed narrow about 7 (the 7-day bench set: 100k entities, time gaps of ~20 bits,
/// amounts of 15). Unpacked, a day's pieces give back their chunk bit for bit.
/// </summary>
internal sealed class FiledEvents
{
    private readonly PackedIds _entity;
    private readonly PackedLongs _time;
    private readonly PackedLongs[] _slots;
    private readonly bool[]?[] _valid;
    private readonly Dictionary<string, ValueVector> _columns;

    private FiledEvents(int length, PackedIds entity, PackedLongs time, PackedLongs[] slots, bool[]?[] valid, Dictionary<string, ValueVector> columns)
    {
        Length = length;
        _entity = entity;
        _time = time;
        _slots = slots;
        _valid = valid;
        _columns = columns;
    }

    public int Length { get; }

    /// <summary>Adds one to <paramref name="counts"/>[id] for each event's entity id.</summary>
    public void CountEntityIds(Span<int> counts) => _entity.CountInto(counts);

    /// <summary>
    /// Packs <paramref name="chunk"/>; <paramref name="isFloat"/>[s]: slot s holds doubles' bits;
    /// <paramref name="narrow"/>: ids, times and values in the bits their ranges need rather than 32.
    /// </summary>
    public static FiledEvents Pack(EventChunk chunk, bool[] isFloat, bool narrow)
    {
        int n = chunk.Length;
        return Pack(chunk.Entity.AsSpan(0, n), PackedLongs.Pack(chunk.Time, 0, n, false, narrow), chunk.SlotBits, 0, chunk.SlotValid, isFloat, chunk.Columns, narrow);
    }

    /// <summary>
    /// Packs the events <paramref name="entity"/> (ids, not kept), <paramref name="time"/> (their packed times) and
    /// rows [<paramref name="start"/>, + <paramref name="entity"/>.Length) of <paramref name="slotBits"/> (buffers
    /// that are not kept), with their slot flags (arrays that are kept as they are, possibly longer than the events)
    /// and source columns (<paramref name="narrow"/>: as in the overload above).
    /// </summary>
    public static FiledEvents Pack(ReadOnlySpan<int> entity, PackedLongs time, long[][] slotBits, int start, bool[]?[] valid, bool[] isFloat, Dictionary<string, ValueVector> columns, bool narrow)
    {
        int n = entity.Length;
        var slots = new PackedLongs[slotBits.Length];
        for (int s = 0; s < slots.Length; s++) { slots[s] = PackedLongs.Pack(slotBits[s], start, n, isFloat[s], narrow); }
        return new FiledEvents(n, PackedIds.Pack(entity, narrow), time, slots, valid, columns);
    }

    /// <summary>
    /// The events of <paramref name="parts"/> (pieces of one plan), in order, as one chunk; pieces and columns on up
    /// to <paramref name="parallelism"/> workers. With <paramref name="arrays"/>, the entity, time and slot arrays
    /// are rented from it (and may be longer than the chunk): hand the chunk to <see cref="EventChunk.Recycle"/>
    /// once nothing reads it.
    /// </summary>
    public static EventChunk Unpack(IReadOnlyList<FiledEvents> parts, int parallelism = 1, ChunkArrays? arrays = null)
    {
        int n = 0;
        foreach (var p in parts) { n = checked(n + p.Length); }
        var first = parts[0];
        int slots = first._slots.Length;
        var entity = arrays?.Ints.Rent(n) ?? GC.AllocateUninitializedArray<int>(n);
        var time = arrays?.Longs.Rent(n) ?? GC.AllocateUninitializedArray<long>(n);
        var bits = new long[slots][];
        var valid = new bool[]?[slots];
        for (int s = 0; s < slots; s++)
        {
            bits[s] = arrays?.Longs.Rent(n) ?? GC.AllocateUninitializedArray<long>(n);
            bool anyNull = false;
            foreach (var p in parts) { anyNull |= p._valid[s] is not null; }
            if (anyNull) { valid[s] = GC.AllocateUninitializedArray<bool>(n); }
        }
        // One task per piece and column (0 the entity ids, 1 the times, then each slot's bits and flags): a day is
        // filed as a piece per source batch, so there is work for more workers than columns.
        var offsets = new int[parts.Count];
        for (int k = 1; k < offsets.Length; k++) { offsets[k] = offsets[k - 1] + parts[k - 1].Length; }
        int tasks = parts.Count * (2 + slots);
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, task =>
        {
            int c = task / parts.Count;
            var p = parts[task % parts.Count];
            int at = offsets[task % parts.Count];
            int len = p.Length;
            if (c == 0)
            {
                p._entity.UnpackTo(entity.AsSpan(at, len));
            }
            else if (c == 1)
            {
                p._time.UnpackTo(time.AsSpan(at, len));
            }
            else
            {
                int s = c - 2;
                p._slots[s].UnpackTo(bits[s].AsSpan(at, len));
                if (valid[s] is { } v)
                {
                    if (p._valid[s] is { } pv) { pv.AsSpan(0, len).CopyTo(v.AsSpan(at)); }
                    else { v.AsSpan(at, len).Fill(true); }
                }
            }
        });
        var columns = new Dictionary<string, ValueVector>(first._columns.Count, StringComparer.Ordinal);
        foreach (var name in first._columns.Keys)
        {
            if (parts.Count == 1)
            {
                columns[name] = first._columns[name];
                continue;
            }
            var list = new List<ValueVector>(parts.Count);
            foreach (var p in parts) { list.Add(p._columns[name]); }
            columns[name] = ValueVector.Concat(list);
        }
        return new EventChunk(n, columns, entity, time, bits, valid);
    }
}
