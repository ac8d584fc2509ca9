using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;
using Floe.Kernels.Bitmaps;

namespace Floe.Features.Engine;

/// <summary>
/// A set of events ready for the kernels: filtered source columns, each row's dense entity id, event time (µs),
/// and every slot's value bits and validity. Row order is input (arrival) order, which breaks timestamp ties.
/// </summary>
internal sealed class EventChunk
{
    internal EventChunk(int length, Dictionary<string, ValueVector> columns, int[] entity, long[] time, long[][] slotBits, bool[]?[] slotValid)
    {
        Length = length;
        Columns = columns;
        Entity = entity;
        Time = time;
        SlotBits = slotBits;
        SlotValid = slotValid;
    }

    public int Length { get; }

    public Dictionary<string, ValueVector> Columns { get; }

    public int[] Entity { get; }

    public long[] Time { get; }

    public long[][] SlotBits { get; }

    public bool[]?[] SlotValid { get; }

    /// <summary>
    /// Filters and encodes source columns. Rows where the filter is not true, or whose entity key or timestamp is
    /// null, are dropped.
    /// </summary>
    /// <remarks>
    /// With <paramref name="arrays"/>, the entity ids and slot values go into arrays rented from it (possibly longer
    /// than the chunk), for a caller that hands them back once the chunk is filed.
    /// </remarks>
    public static EventChunk Build(FeaturePlan plan, Dictionary<string, ValueVector> source, int length, EntityIndex entities, StringPool strings,
        ChunkArrays? arrays = null)
    {
        var (columns, n) = Kept(plan, source, length);
        var time = columns[plan.Definition.Timestamp].Longs!;
        if (time.Length != n)
        {
            Array.Resize(ref time, n);
        }
        var entity = arrays?.Ints.Rent(n) ?? new int[n];
        AssignEntities(plan, columns, n, entities, strings, entity);

        var slotBits = new long[plan.Slots.Length][];
        var slotValid = new bool[]?[plan.Slots.Length];
        for (int s = 0; s < plan.Slots.Length; s++)
        {
            var spec = plan.Slots[s];
            var v = Evaluate(spec.Expr, name => columns.GetValueOrDefault(name), n, $"feature group '{plan.Definition.Name}': column '{spec.Text}'");
            var bits = arrays?.Longs.Rent(n) ?? new long[n];
            if (v.Doubles is not null)
            {
                System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(v.Doubles.AsSpan(0, n)).CopyTo(bits);
            }
            else if (v.Longs is not null)
            {
                v.Longs.AsSpan(0, n).CopyTo(bits);
            }
            else if (v.Bits is not null)
            {
                // Aggregations read booleans as 0/1 numbers.
                for (int i = 0; i < n; i++) { bits[i] = v.GetBool(i) ? 1 : 0; }
            }
            else
            {
                bits.AsSpan(0, n).Clear();
                for (int i = 0; i < n; i++)
                {
                    if (v.IsValid(i)) { bits[i] = strings.Intern(v.GetUtf8(i)); }
                }
            }
            slotBits[s] = bits;
            // The arena keeps one flag per event (the window kernels read validity row by row).
            if (v.Valid is not null)
            {
                var flags = new bool[n];
                Bitmap.ToFlags(v.Valid, flags);
                slotValid[s] = flags;
            }
        }
        return new EventChunk(n, columns, entity, time, slotBits, slotValid);
    }

    /// <summary>
    /// The entity ids and times of the events <see cref="Build"/> keeps from <paramref name="source"/>, which needs
    /// only the entity, time and filter columns; ids are handed out as Build hands them out, so a later Build of the
    /// same rows finds the same ids. For a first pass over a source that plans memory before the events are read.
    /// </summary>
    public static (int[] Entity, long[] Time, int Length) BuildKeys(FeaturePlan plan, Dictionary<string, ValueVector> source, int length, EntityIndex entities,
        StringPool strings)
    {
        var (columns, n) = Kept(plan, source, length);
        var entity = new int[n];
        AssignEntities(plan, columns, n, entities, strings, entity);
        return (entity, columns[plan.Definition.Timestamp].Longs!, n);
    }

    // The rows passing the filter with non-null keys and time (one bitmap, narrowed word by word): the source itself
    // when that is every row, else its columns taken at those rows.
    private static (Dictionary<string, ValueVector> Columns, int Length) Kept(FeaturePlan plan, Dictionary<string, ValueVector> source, int length)
    {
        var def = plan.Definition;
        ValueVector? Resolve(string name) => source.GetValueOrDefault(name);
        var keep = Bitmap.AllSet(length);
        if (plan.Filter is not null)
        {
            var f = Evaluate(plan.Filter, Resolve, length, $"feature group '{def.Name}': filter");
            Bitmap.And(keep, f.Bits.AsSpan(0, keep.Length), keep);
            if (f.Valid is not null) { Bitmap.And(keep, f.Valid.AsSpan(0, keep.Length), keep); }
        }
        if (source[def.Timestamp].Valid is { } timeValid) { Bitmap.And(keep, timeValid.AsSpan(0, keep.Length), keep); }
        foreach (var e in def.Entity)
        {
            if (source[e].Valid is { } keyValid) { Bitmap.And(keep, keyValid.AsSpan(0, keep.Length), keep); }
        }
        int kept = Bitmap.PopCount(keep, length);
        if (kept == length) { return (source, length); }
        var rows = new int[kept];
        int j = 0;
        for (int w = 0; w < keep.Length; w++)
        {
            for (ulong word = keep[w]; word != 0; word &= word - 1)
            {
                rows[j++] = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(word);
            }
        }
        var columns = new Dictionary<string, ValueVector>(source.Count, StringComparer.Ordinal);
        foreach (var (name, col) in source)
        {
            columns[name] = col.Take(rows);
        }
        return (columns, kept);
    }

    private static void AssignEntities(FeaturePlan plan, Dictionary<string, ValueVector> columns, int n, EntityIndex entities, StringPool strings, int[] entity)
    {
        var keyCols = new ValueVector[plan.Definition.Entity.Count];
        for (int k = 0; k < keyCols.Length; k++) { keyCols[k] = columns[plan.Definition.Entity[k]]; }
        entities.Assign(keyCols, strings, entity.AsSpan(0, n));
    }

    /// <summary>
    /// The same events keeping only the source columns in <paramref name="keep"/>: once encoded, a chunk needs its
    /// source columns only for expression features, so a batch run holding days of events keeps just those.
    /// </summary>
    public EventChunk Project(IReadOnlySet<string> keep)
    {
        var columns = new Dictionary<string, ValueVector>(keep.Count, StringComparer.Ordinal);
        foreach (var (name, column) in Columns)
        {
            if (keep.Contains(name)) { columns[name] = column; }
        }
        return new EventChunk(Length, columns, Entity, Time, SlotBits, SlotValid);
    }

    /// <summary>
    /// Splits the events into <paramref name="counts"/>.Length parts, row i going to part <paramref name="partOf"/>[i]
    /// (rows keep their order inside a part); parts with no rows are null. Each column is scattered in one sequential
    /// pass, a few write streams at a time, rather than gathered part by part; the columns on up to
    /// <paramref name="parallelism"/> workers.
    /// </summary>
    public EventChunk?[] Split(int[] partOf, int[] counts, int parallelism = 1)
    {
        int parts = counts.Length;
        var result = new EventChunk?[parts];
        var entity = new int[parts][];
        var time = new long[parts][];
        int slots = SlotBits.Length;
        var bits = new long[slots][][];
        var valid = new bool[]?[slots][];
        for (int s = 0; s < slots; s++)
        {
            bits[s] = new long[parts][];
            valid[s] = new bool[parts][];
        }
        for (int p = 0; p < parts; p++)
        {
            int c = counts[p];
            entity[p] = c == 0 ? [] : GC.AllocateUninitializedArray<int>(c);
            time[p] = c == 0 ? [] : GC.AllocateUninitializedArray<long>(c);
            for (int s = 0; s < slots; s++)
            {
                bits[s][p] = c == 0 ? [] : GC.AllocateUninitializedArray<long>(c);
                if (SlotValid[s] is not null) { valid[s]![p] = c == 0 ? [] : GC.AllocateUninitializedArray<bool>(c); }
            }
        }
        // Column 0 the entity ids, 1 the times, then each slot's bits and (when it has nulls) its flags.
        int columns = 2 + (2 * slots);
        Parallel.For(0, columns, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, c =>
        {
            var next = new int[parts];
            if (c == 0) { Scatter(Entity, partOf, entity, next); }
            else if (c == 1) { Scatter(Time, partOf, time, next); }
            else if ((c - 2) % 2 == 0) { Scatter(SlotBits[(c - 2) / 2], partOf, bits[(c - 2) / 2], next); }
            else if (SlotValid[(c - 2) / 2] is { } present) { Scatter(present, partOf, valid[(c - 2) / 2]!, next); }
        });
        int[][]? rows = null;
        if (Columns.Count > 0)
        {
            // Source columns (kept for expression features) go through row lists.
            var next = new int[parts];
            rows = new int[parts][];
            for (int p = 0; p < parts; p++) { rows[p] = new int[counts[p]]; }
            for (int i = 0; i < Length; i++) { rows[partOf[i]][next[partOf[i]]++] = i; }
        }
        for (int p = 0; p < parts; p++)
        {
            if (counts[p] == 0) { continue; }
            var columnsOf = new Dictionary<string, ValueVector>(Columns.Count, StringComparer.Ordinal);
            foreach (var (name, column) in Columns) { columnsOf[name] = column.Take(rows![p]); }
            var partBits = new long[slots][];
            var partValid = new bool[]?[slots];
            for (int s = 0; s < slots; s++)
            {
                partBits[s] = bits[s][p];
                partValid[s] = SlotValid[s] is null ? null : valid[s]![p];
            }
            result[p] = new EventChunk(counts[p], columnsOf, entity[p], time[p], partBits, partValid);
        }
        return result;
    }

    /// <summary>
    /// The events at rows <paramref name="rows"/>[<paramref name="start"/>, + <paramref name="count"/>), in that
    /// order, as a chunk; columns on up to <paramref name="parallelism"/> workers. The entity, time and slot arrays
    /// are rented from <paramref name="arrays"/> (and may be longer than the chunk): hand the chunk to
    /// <see cref="Recycle"/> once nothing reads it.
    /// </summary>
    public EventChunk Gather(int[] rows, int start, int count, ChunkArrays arrays, int parallelism)
    {
        int slots = SlotBits.Length;
        var entity = arrays.Ints.Rent(count);
        var time = arrays.Longs.Rent(count);
        var bits = new long[slots][];
        var valid = new bool[]?[slots];
        for (int s = 0; s < slots; s++)
        {
            bits[s] = arrays.Longs.Rent(count);
            if (SlotValid[s] is not null) { valid[s] = GC.AllocateUninitializedArray<bool>(count); }
        }
        // Column 0 the entity ids, 1 the times, then each slot's bits and (when it has nulls) its flags.
        Parallel.For(0, 2 + (2 * slots), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, c =>
        {
            var at = rows.AsSpan(start, count);
            if (c == 0) { GatherInto(Entity, at, entity); }
            else if (c == 1) { GatherInto(Time, at, time); }
            else if ((c - 2) % 2 == 0) { GatherInto(SlotBits[(c - 2) / 2], at, bits[(c - 2) / 2]); }
            else if (SlotValid[(c - 2) / 2] is { } present) { GatherInto(present, at, valid[(c - 2) / 2]!); }
        });
        var columns = new Dictionary<string, ValueVector>(Columns.Count, StringComparer.Ordinal);
        if (Columns.Count > 0)
        {
            // Source columns (kept for expression features) are taken at a copy of the rows.
            var taken = rows.AsSpan(start, count).ToArray();
            foreach (var (name, column) in Columns) { columns[name] = column.Take(taken); }
        }
        return new EventChunk(count, columns, entity, time, bits, valid);
    }

    private static void GatherInto<T>(T[] source, ReadOnlySpan<int> rows, T[] destination)
    {
        for (int i = 0; i < rows.Length; i++) { destination[i] = source[rows[i]]; }
    }

    /// <summary>
    /// The events at rows <paramref name="rows"/>[<paramref name="start"/>, + <paramref name="count"/>) of
    /// <paramref name="pieces"/> taken one after the other (piece k's rows from <paramref name="offsets"/>[k]), in that
    /// order, which must be ascending, as a chunk (see <see cref="Gather(int[], int, int, ChunkArrays, int)"/>). The
    /// pieces keep no source columns.
    /// </summary>
    public static EventChunk Gather(IReadOnlyList<EventChunk> pieces, int[] offsets, int[] rows, int start, int count, ChunkArrays arrays, int parallelism)
    {
        var first = pieces[0];
        foreach (var piece in pieces)
        {
            if (piece.Columns.Count > 0) { throw new InvalidOperationException("pieces with source columns are concatenated, not gathered"); }
        }
        int slots = first.SlotBits.Length;
        var at = rows.AsSpan(start, count);
        // Where each piece's rows begin in the part (rows ascend, so each piece's are one run).
        var from = new int[pieces.Count + 1];
        for (int k = 0; k < pieces.Count; k++)
        {
            int f = from[k];
            while (f < count && at[f] < offsets[k + 1]) { f++; }
            from[k + 1] = f;
        }
        var entity = arrays.Ints.Rent(count);
        var time = arrays.Longs.Rent(count);
        var bits = new long[slots][];
        var valid = new bool[]?[slots];
        for (int s = 0; s < slots; s++)
        {
            bits[s] = arrays.Longs.Rent(count);
            foreach (var piece in pieces)
            {
                if (piece.SlotValid[s] is not null) { valid[s] = GC.AllocateUninitializedArray<bool>(count); break; }
            }
        }
        Parallel.For(0, 2 + (2 * slots), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, c =>
        {
            var part = rows.AsSpan(start, count);
            for (int k = 0; k < pieces.Count; k++)
            {
                var p = pieces[k];
                var taken = part[from[k]..from[k + 1]];
                int to = from[k];
                int at0 = offsets[k];
                if (c == 0) { GatherInto(p.Entity, taken, at0, entity.AsSpan(to)); }
                else if (c == 1) { GatherInto(p.Time, taken, at0, time.AsSpan(to)); }
                else if ((c - 2) % 2 == 0) { GatherInto(p.SlotBits[(c - 2) / 2], taken, at0, bits[(c - 2) / 2].AsSpan(to)); }
                else if (valid[(c - 2) / 2] is { } v)
                {
                    if (p.SlotValid[(c - 2) / 2] is { } present) { GatherInto(present, taken, at0, v.AsSpan(to)); }
                    else { v.AsSpan(to, taken.Length).Fill(true); }
                }
            }
        });
        return new EventChunk(count, new Dictionary<string, ValueVector>(0, StringComparer.Ordinal), entity, time, bits, valid);
    }

    private static void GatherInto<T>(T[] source, ReadOnlySpan<int> rows, int firstRow, Span<T> destination)
    {
        for (int i = 0; i < rows.Length; i++) { destination[i] = source[rows[i] - firstRow]; }
    }

    private void Scatter<T>(T[] source, int[] partOf, T[][] destination, int[] next)
    {
        for (int i = 0; i < Length; i++)
        {
            int p = partOf[i];
            destination[p][next[p]++] = source[i];
        }
    }

    /// <summary>
    /// Concatenates chunks of one plan, in order. With <paramref name="arrays"/>, the entity, time and slot arrays are
    /// rented from it, as <see cref="FiledEvents.Unpack"/> does.
    /// </summary>
    public static EventChunk Concat(IReadOnlyList<EventChunk> parts, ChunkArrays? arrays = null)
    {
        if (parts.Count == 1) { return parts[0]; }
        int n = 0;
        foreach (var p in parts) { n = checked(n + p.Length); }
        var first = parts[0];
        var entity = arrays?.Ints.Rent(n) ?? GC.AllocateUninitializedArray<int>(n);
        var time = arrays?.Longs.Rent(n) ?? GC.AllocateUninitializedArray<long>(n);
        int slots = first.SlotBits.Length;
        var bits = new long[slots][];
        var valid = new bool[]?[slots];
        for (int s = 0; s < slots; s++)
        {
            bits[s] = arrays?.Longs.Rent(n) ?? GC.AllocateUninitializedArray<long>(n);
            bool anyNull = false;
            foreach (var p in parts) { anyNull |= p.SlotValid[s] is not null; }
            if (anyNull) { valid[s] = GC.AllocateUninitializedArray<bool>(n); }
        }
        int at = 0;
        foreach (var p in parts)
        {
            p.Entity.AsSpan(0, p.Length).CopyTo(entity.AsSpan(at));
            p.Time.AsSpan(0, p.Length).CopyTo(time.AsSpan(at));
            for (int s = 0; s < slots; s++)
            {
                p.SlotBits[s].AsSpan(0, p.Length).CopyTo(bits[s].AsSpan(at));
                if (valid[s] is { } v)
                {
                    if (p.SlotValid[s] is { } pv) { pv.AsSpan(0, p.Length).CopyTo(v.AsSpan(at)); }
                    else { v.AsSpan(at, p.Length).Fill(true); }
                }
            }
            at += p.Length;
        }
        var columns = new Dictionary<string, ValueVector>(first.Columns.Count, StringComparer.Ordinal);
        foreach (var name in first.Columns.Keys)
        {
            var list = new List<ValueVector>(parts.Count);
            foreach (var p in parts) { list.Add(p.Columns[name]); }
            columns[name] = ValueVector.Concat(list);
        }
        return new EventChunk(n, columns, entity, time, bits, valid);
    }

    /// <summary>
    /// Hands the chunk's entity, time and slot arrays to <paramref name="arrays"/> for the next chunk. Only for a chunk
    /// whose arrays nothing else holds (one made by <see cref="FiledEvents.Unpack"/> or <see cref="Concat"/>), once
    /// nothing reads it.
    /// </summary>
    public void Recycle(ChunkArrays arrays)
    {
        arrays.Ints.Return(Entity);
        arrays.Longs.Return(Time);
        foreach (var bits in SlotBits) { arrays.Longs.Return(bits); }
    }

    private static ValueVector Evaluate(Expr e, Func<string, ValueVector?> resolve, int n, string what)
    {
        try
        {
            return ExpressionEvaluator.Evaluate(e, resolve, n);
        }
        catch (ExpressionException ex)
        {
            throw Errors.InvalidData($"{what}: {ex.Message}");
        }
    }
}
