using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Engine;

/// <summary>
/// Encoded events waiting for their day's turn (a batch run over files reads every event before computing the first
/// day): an <see cref="EventChunk"/> with its times and slot values packed (<see cref="PackedLongs"/>), about 12
/// bytes an event instead of 20 when times are whole milliseconds and values short decimals. Unpacked, a day's
/// pieces give back their chunk bit for bit.
/// </summary>
internal sealed class FiledEvents
{
    private readonly int[] _entity;
    private readonly PackedLongs _time;
    private readonly PackedLongs[] _slots;
    private readonly bool[]?[] _valid;
    private readonly Dictionary<string, ValueVector> _columns;

    private FiledEvents(int length, int[] entity, PackedLongs time, PackedLongs[] slots, bool[]?[] valid, Dictionary<string, ValueVector> columns)
    {
        Length = length;
        _entity = entity;
        _time = time;
        _slots = slots;
        _valid = valid;
        _columns = columns;
    }

    public int Length { get; }

    /// <summary>The events' entity ids.</summary>
    public ReadOnlyMemory<int> EntityIds => _entity.AsMemory(0, Length);

    /// <summary>Packs <paramref name="chunk"/>; <paramref name="isFloat"/>[s]: slot s holds doubles' bits.</summary>
    public static FiledEvents Pack(EventChunk chunk, bool[] isFloat)
    {
        int n = chunk.Length;
        var entity = chunk.Entity.Length == n ? chunk.Entity : chunk.Entity.AsSpan(0, n).ToArray();
        return Pack(entity, chunk.Time, chunk.SlotBits, 0, chunk.SlotValid, isFloat, chunk.Columns);
    }

    /// <summary>
    /// Packs the events at rows [<paramref name="start"/>, + <paramref name="entity"/>.Length) of
    /// <paramref name="time"/> and <paramref name="slotBits"/> (buffers that are not kept), with their entity ids and
    /// slot flags (arrays that are kept as they are, flags possibly longer than the events) and source columns.
    /// </summary>
    public static FiledEvents Pack(int[] entity, long[] time, long[][] slotBits, int start, bool[]?[] valid, bool[] isFloat, Dictionary<string, ValueVector> columns) =>
        Pack(entity, PackedLongs.Pack(time, start, entity.Length, false), slotBits, start, valid, isFloat, columns);

    /// <summary>As the overload above, with the times already packed (<paramref name="time"/> holds exactly these events').</summary>
    public static FiledEvents Pack(int[] entity, PackedLongs time, long[][] slotBits, int start, bool[]?[] valid, bool[] isFloat, Dictionary<string, ValueVector> columns)
    {
        int n = entity.Length;
        var slots = new PackedLongs[slotBits.Length];
        for (int s = 0; s < slots.Length; s++) { slots[s] = PackedLongs.Pack(slotBits[s], start, n, isFloat[s]); }
        return new FiledEvents(n, entity, time, slots, valid, columns);
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
        // One piece (a large day read in one batch) keeps its entity ids as they are.
        var entity = parts.Count == 1 ? first._entity : arrays?.Ints.Rent(n) ?? GC.AllocateUninitializedArray<int>(n);
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
                if (!ReferenceEquals(entity, p._entity)) { p._entity.AsSpan(0, len).CopyTo(entity.AsSpan(at)); }
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
