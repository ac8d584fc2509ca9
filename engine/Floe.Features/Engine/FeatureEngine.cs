using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>
/// The stateful core shared by batch and streaming: it owns the entity index, the string pool and every entity's
/// window state, and turns a chunk of events into feature values. Chunks must arrive in event-time order: every
/// event of a later chunk must be later than every event of the entities' earlier chunks (a batch run feeds one
/// chunk per day; a stream feeds everything before a watermark).
/// </summary>
internal sealed class FeatureEngine
{
    private EntityState?[] _states = new EntityState?[1024];

    public FeatureEngine(FeaturePlan plan, int parallelism)
    {
        Plan = plan;
        Parallelism = Math.Max(1, parallelism);
    }

    public FeaturePlan Plan { get; }

    public int Parallelism { get; }

    public EntityIndex Entities { get; } = new();

    public StringPool Strings { get; } = new();

    /// <summary>Events that arrived at or before their entity's last processed time and were dropped.</summary>
    public long LateEvents;

    /// <summary>Encodes source columns into a chunk (filter, entity ids, slots).</summary>
    public EventChunk Encode(Dictionary<string, ColumnData> source, int length) =>
        EventChunk.Build(Plan, source, length, Entities, Strings);

    /// <summary>
    /// Computes every feature for every row of <paramref name="chunk"/>; the returned columns are indexed by
    /// feature and hold one value per chunk row, in chunk row order.
    /// </summary>
    public ColumnData[] Process(EventChunk chunk) => Process(chunk, false);

    /// <summary>
    /// As <see cref="Process(EventChunk)"/>; with <paramref name="pooled"/> the scalar aggregation columns' value
    /// arrays are rented (and may be longer than the chunk): hand the result to <see cref="ReturnPooled"/> once it has
    /// been written. The batch computation does this so a chunk's dozen output arrays are reused by the next chunk.
    /// </summary>
    public ColumnData[] Process(EventChunk chunk, bool pooled)
    {
        // The expression kernels work on whole arrays, so a group with expressions gets exact-length arrays.
        pooled &= Plan.Expressions.Length == 0;
        int n = chunk.Length;
        var plan = Plan;
        var outputs = new AggOutputBuffer[plan.Aggs.Length];
        for (int a = 0; a < outputs.Length; a++)
        {
            var spec = plan.Aggs[a];
            outputs[a] = new AggOutputBuffer(spec, spec.Slot >= 0 ? plan.Slots[spec.Slot].Kind : ValueKind.Int64, n);
        }
        if (_states.Length < Entities.Count)
        {
            Array.Resize(ref _states, Math.Max(Entities.Count, _states.Length * 2));
        }

        long t0 = Diagnostics.StageTimes.Now;
        var (order, groupStarts) = ChunkSorter.SortByEntityAndTime(chunk, Parallelism);
        Diagnostics.StageTimes.Add(ref Diagnostics.StageTimes.Sort, t0);
        t0 = Diagnostics.StageTimes.Now;
        int groups = groupStarts.Length - 1;
        // Gather time and slot values into sorted order once: the kernel then streams through contiguous arrays
        // instead of chasing row indices into chunk-sized arrays (a cache miss per event and column).
        int ns = plan.Slots.Length;
        // The gathered arrays live only for the kernel pass: rented, and returned right after it.
        var time = System.Buffers.ArrayPool<long>.Shared.Rent(n);
        var bits = new long[ns][];
        var valid = new bool[]?[ns];
        Parallel.For(0, ns + 1, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, c =>
        {
            if (c == ns) { Gather(chunk.Time, order, time); return; }
            bits[c] = System.Buffers.ArrayPool<long>.Shared.Rent(n);
            Gather(chunk.SlotBits[c], order, bits[c]);
            if (chunk.SlotValid[c] is { } v)
            {
                var sv = System.Buffers.ArrayPool<bool>.Shared.Rent(n);
                Gather(v, order, sv);
                valid[c] = sv;
            }
        });
        var late = new long[Parallelism];
        // Split the entity groups into contiguous ranges of about equal row counts, one per worker; an entity's
        // events all go to one worker, so states are never shared between threads.
        int parts = Math.Min(Parallelism, Math.Max(1, groups));
        var bounds = new int[parts + 1];
        for (int p = 1, g = 0; p < parts; p++)
        {
            long target = (long)n * p / parts;
            while (g < groups && groupStarts[g] < target) { g++; }
            bounds[p] = g;
        }
        bounds[parts] = groups;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            for (int g = bounds[part]; g < bounds[part + 1]; g++)
            {
                int start = groupStarts[g], end = groupStarts[g + 1];
                int entity = chunk.Entity[order[start]];
                var st = _states[entity] ??= new EntityState(plan);
                // Drop events not after the entity's last processed time (late for a stream).
                int skip = 0;
                while (start + skip < end && time[start + skip] <= st.LastTime) { skip++; }
                if (skip > 0)
                {
                    late[part] += skip;
                    foreach (var o in outputs) { o.Valid.AsSpan(start, skip).Clear(); }
                }
                WindowKernel.Process(plan, st, time, bits, valid, start + skip, end, outputs);
            }
        });
        foreach (long l in late) { LateEvents += l; }
        System.Buffers.ArrayPool<long>.Shared.Return(time);
        for (int c = 0; c < ns; c++)
        {
            System.Buffers.ArrayPool<long>.Shared.Return(bits[c]);
            if (valid[c] is { } v) { System.Buffers.ArrayPool<bool>.Shared.Return(v); }
        }
        Diagnostics.StageTimes.Add(ref Diagnostics.StageTimes.Kernel, t0);
        t0 = Diagnostics.StageTimes.Now;

        var result = new ColumnData[plan.Definition.Features.Count];
        Parallel.For(0, outputs.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, a =>
        {
            outputs[a].PermuteToRowOrder(order, pooled && !outputs[a].Spec.IsList);
        });
        foreach (var o in outputs)
        {
            result[o.Spec.FeatureIndex] = ToColumn(o, n);
        }
        EvaluateExpressions(chunk, result);
        Diagnostics.StageTimes.Add(ref Diagnostics.StageTimes.Permute, t0);
        return result;
    }

    private static void Gather<T>(T[] source, int[] order, T[] destination)
    {
        for (int k = 0; k < order.Length; k++) { destination[k] = source[order[k]]; }
    }

    private ColumnData ToColumn(AggOutputBuffer o, int n)
    {
        if (o.Spec.IsList)
        {
            return ListColumns.Create(o, n, Strings);
        }
        bool allValid = Array.IndexOf(o.Valid, false) < 0;
        var valid = allValid ? null : o.Valid;
        if (o.D is not null)
        {
            return ColumnData.FromDoubles(o.D, valid, n);
        }
        if (o.ElementKind == ValueKind.String)
        {
            var s = new string?[n];
            for (int i = 0; i < n; i++)
            {
                if (o.Valid[i]) { s[i] = Strings.Get(o.L![i]); }
            }
            return ColumnData.FromStrings(s);
        }
        return ColumnData.FromLongs(o.ElementKind, o.L!, valid, n);
    }

    /// <summary>Returns the rented arrays of a <see cref="Process(EventChunk, bool)"/> result with pooling on.</summary>
    public void ReturnPooled(ColumnData[] features)
    {
        if (Plan.Expressions.Length > 0) { return; }
        foreach (var spec in Plan.Aggs)
        {
            if (spec.IsList) { continue; }
            var c = features[spec.FeatureIndex];
            if (c.Doubles is { } d) { System.Buffers.ArrayPool<double>.Shared.Return(d); }
            else if (c.Longs is { } l && c.Kind != ValueKind.String) { System.Buffers.ArrayPool<long>.Shared.Return(l); }
        }
    }

    private void EvaluateExpressions(EventChunk chunk, ColumnData[] result)
    {
        var def = Plan.Definition;
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < def.Features.Count; i++) { byName[def.Features[i].Name] = i; }
        foreach (var (index, expr, _) in Plan.Expressions)
        {
            try
            {
                result[index] = ExpressionEvaluator.Evaluate(expr, name =>
                    byName.TryGetValue(name, out int j) ? result[j] : chunk.Columns.GetValueOrDefault(name), chunk.Length);
            }
            catch (ExpressionException e)
            {
                throw Errors.InvalidData($"feature group '{def.Name}': features[{index}].expr: {e.Message}");
            }
        }
    }
}
