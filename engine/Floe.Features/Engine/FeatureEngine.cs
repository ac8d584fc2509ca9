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
    private readonly KernelLayout _layout;
    private readonly LifetimeStates _lifetime;
    private readonly KernelScratch[] _scratch;
    // The events each entity keeps for its bounded windows, and the buffer a chunk merges them with its new events
    // into. The merge copies the whole history, so the kept tail of the merge is written back over it afterwards.
    private readonly EntityEvents _history;
    private readonly EntityEvents _merged;
    private int[] _historyFrom = [];
    private int[] _mergedWork = [];

    public FeatureEngine(FeaturePlan plan, int parallelism)
    {
        Plan = plan;
        Parallelism = Math.Max(1, parallelism);
        _layout = new KernelLayout(plan);
        _lifetime = new LifetimeStates(_layout, plan.Slots.Length);
        _history = new EntityEvents(plan.Slots.Length);
        _merged = new EntityEvents(plan.Slots.Length);
        _scratch = new KernelScratch[Parallelism];
        for (int p = 0; p < _scratch.Length; p++) { _scratch[p] = new KernelScratch(plan); }
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
        _lifetime.EnsureCapacity(Entities.Count);

        var t0 = Diagnostics.StageTimes.Now;
        var (order, groupStarts) = ChunkSorter.SortByEntityAndTime(chunk, Parallelism);
        Diagnostics.StageTimes.Add(Diagnostics.Stage.Sort, t0);
        t0 = Diagnostics.StageTimes.Now;
        Merge(chunk, order, groupStarts);
        var merged = _merged;
        var kernel = new WindowKernel(_layout, merged, outputs, _lifetime);
        // Split the merged groups into contiguous ranges of about equal event counts, one per worker; an entity's
        // events all go to one worker, so no state is shared between threads.
        int groups = merged.Groups;
        int parts = Math.Min(Parallelism, Math.Max(1, groups));
        var bounds = new int[parts + 1];
        long total = merged.Count;
        for (int p = 1, g = 0; p < parts; p++)
        {
            long target = total * p / parts;
            while (g < groups && merged.Starts[g] < target) { g++; }
            bounds[p] = g;
        }
        bounds[parts] = groups;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var scratch = _scratch[part];
            for (int g = bounds[part]; g < bounds[part + 1]; g++) { kernel.Run(g, scratch); }
        });
        Retain();
        Diagnostics.StageTimes.Add(Diagnostics.Stage.Kernel, t0);
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
        Diagnostics.StageTimes.Add(Diagnostics.Stage.Permute, t0);
        return result;
    }

    /// <summary>
    /// Builds the merged buffer: every entity of the history or the chunk, in entity order, with its retained events
    /// followed by its new events in (time, arrival) order. New events at or before the entity's last processed
    /// time are late: they are left out (their outputs stay null) and counted.
    /// </summary>
    private void Merge(EventChunk chunk, int[] order, int[] groupStarts)
    {
        var history = _history;
        var merged = _merged;
        int groups = groupStarts.Length - 1;
        merged.Reserve(history.Groups + groups, history.Count + chunk.Length);
        if (_historyFrom.Length < history.Groups + groups) { _historyFrom = new int[history.Groups + groups]; }
        var historyFrom = _historyFrom;
        var lastTime = _lifetime.LastTime;
        var time = chunk.Time;
        var entityOf = chunk.Entity;
        int hg = 0, mg = 0, position = 0;
        long late = 0;
        for (int g = 0; g <= groups; g++)
        {
            int entity = g < groups ? entityOf[order[groupStarts[g]]] : int.MaxValue;
            // History-only entities before this one carry over unchanged.
            for (; hg < history.Groups && history.Entities[hg] < entity; hg++, mg++)
            {
                int count = history.Starts[hg + 1] - history.Starts[hg];
                merged.Entities[mg] = history.Entities[hg];
                merged.Starts[mg] = position;
                historyFrom[mg] = history.Starts[hg];
                position += count;
                merged.NewStarts[mg] = position;
                merged.OutputStarts[mg] = -1;
            }
            if (g == groups) { break; }
            merged.Entities[mg] = entity;
            merged.Starts[mg] = position;
            if (hg < history.Groups && history.Entities[hg] == entity)
            {
                historyFrom[mg] = history.Starts[hg];
                position += history.Starts[hg + 1] - history.Starts[hg];
                hg++;
            }
            else
            {
                historyFrom[mg] = -1;
            }
            int start = groupStarts[g], end = groupStarts[g + 1];
            long last = lastTime[entity];
            int skip = 0;
            while (start + skip < end && time[order[start + skip]] <= last) { skip++; }
            late += skip;
            merged.NewStarts[mg] = position;
            merged.OutputStarts[mg] = start + skip;
            position += end - start - skip;
            mg++;
        }
        merged.Groups = mg;
        merged.Starts[mg] = position;
        LateEvents += late;

        // Copy retained and new events into place, entity ranges split across workers.
        int parts = Math.Min(Parallelism, Math.Max(1, mg));
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int from = (int)((long)mg * part / parts), to = (int)((long)mg * (part + 1) / parts);
            var bits = chunk.SlotBits;
            var valid = chunk.SlotValid;
            int ns = bits.Length;
            for (int g = from; g < to; g++)
            {
                int at = merged.Starts[g], newAt = merged.NewStarts[g];
                if (historyFrom[g] >= 0) { merged.CopyFrom(history, historyFrom[g], at, newAt - at); }
                int rows = merged.Starts[g + 1] - newAt;
                if (rows == 0) { continue; }
                var rowOrder = order.AsSpan(merged.OutputStarts[g], rows);
                var mt = merged.Time.AsSpan(newAt, rows);
                for (int k = 0; k < rows; k++) { mt[k] = time[rowOrder[k]]; }
                for (int s = 0; s < ns; s++)
                {
                    var src = bits[s];
                    var dst = merged.Bits[s].AsSpan(newAt, rows);
                    for (int k = 0; k < rows; k++) { dst[k] = src[rowOrder[k]]; }
                    var present = merged.Valid[s].AsSpan(newAt, rows);
                    if (valid[s] is { } v)
                    {
                        for (int k = 0; k < rows; k++) { present[k] = v[rowOrder[k]]; }
                    }
                    else
                    {
                        present.Fill(true);
                    }
                }
            }
        });
    }

    /// <summary>
    /// Records each entity's last time and keeps, as the next history, the events its future windows can still
    /// reach: those after its last time minus the longest bounded window, plus the newest values an unbounded
    /// <c>last</c>/<c>last_n</c> reads.
    /// </summary>
    private void Retain()
    {
        var merged = _merged;
        var next = _history;
        var layout = _layout;
        var lastTime = _lifetime.LastTime;
        int groups = merged.Groups;
        if (_mergedWork.Length < groups) { _mergedWork = new int[groups]; }
        var keepFrom = _mergedWork;
        int kept = 0, keptGroups = 0;
        var time = merged.Time;
        for (int g = 0; g < groups; g++)
        {
            int start = merged.Starts[g], end = merged.Starts[g + 1];
            if (merged.NewStarts[g] < end) { lastTime[merged.Entities[g]] = time[end - 1]; }
            int from = end;
            if (layout.LongestBounded > 0)
            {
                long limit = lastTime[merged.Entities[g]] - layout.LongestBounded;
                from = start;
                while (from < end && time[from] <= limit) { from++; }
            }
            for (int s = 0; s < layout.KeepLast.Length; s++)
            {
                int need = layout.KeepLast[s];
                if (need == 0) { continue; }
                var valid = merged.Valid[s];
                int i = end - 1;
                for (; i >= start && need > 0; i--)
                {
                    if (valid[i]) { need--; }
                }
                from = Math.Min(from, i + 1);
            }
            keepFrom[g] = from;
            if (from < end)
            {
                kept += end - from;
                keptGroups++;
            }
        }
        next.Reserve(keptGroups, kept);
        var source = _historyFrom;
        int h = 0, position = 0;
        for (int g = 0; g < groups; g++)
        {
            int end = merged.Starts[g + 1];
            if (keepFrom[g] == end) { continue; }
            next.Entities[h] = merged.Entities[g];
            next.Starts[h] = position;
            source[h] = keepFrom[g];
            position += end - keepFrom[g];
            h++;
        }
        next.Groups = h;
        next.Starts[h] = position;
        int parts = Math.Min(Parallelism, Math.Max(1, h));
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            for (int k = (int)((long)h * part / parts), to = (int)((long)h * (part + 1) / parts); k < to; k++)
            {
                next.CopyFrom(merged, source[k], next.Starts[k], next.Starts[k + 1] - next.Starts[k]);
            }
        });
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
