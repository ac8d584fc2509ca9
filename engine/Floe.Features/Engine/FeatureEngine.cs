using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
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
    private readonly EntityStates _states;
    private readonly KernelScratch[] _scratch;
    // The events each entity keeps for its bounded windows, with each chunk's new events appended behind them.
    private readonly EventArena _arena;
    private readonly ChunkArrays _arrays = new();
    // Per entity group of the current chunk: its entity, its first non-late sorted row, and its new events.
    private int[] _groupEntity = [];
    private int[] _groupOutput = [];
    private int[] _groupAdded = [];

    // What an entity's chunk costs the kernel beyond its events, in events.
    private const long GroupCost = 6;

    // How many entity groups ahead RunEntities hints the cache.
    private const int PrefetchAhead = 8;

    public FeatureEngine(FeaturePlan plan, int parallelism)
    {
        Plan = plan;
        Parallelism = Math.Max(1, parallelism);
        _layout = new KernelLayout(plan);
        _states = new EntityStates(_layout.Passes.Length, DequePasses(_layout));
        _arena = new EventArena(plan.Slots.Length);
        _scratch = new KernelScratch[Parallelism];
        for (int p = 0; p < _scratch.Length; p++) { _scratch[p] = new KernelScratch(plan); }
    }

    public FeaturePlan Plan { get; }

    // The passes whose min/max deques the kernel saves between chunks: each group's longest window, and single passes.
    private static List<int> DequePasses(KernelLayout layout)
    {
        var result = new List<int>();
        foreach (var g in layout.Groups)
        {
            if ((g.Needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0) { result.Add(g.Passes[^1]); }
        }
        foreach (int p in layout.Singles)
        {
            if ((layout.Passes[p].Needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0) { result.Add(p); }
        }
        return result;
    }

    public int Parallelism { get; }

    public EntityIndex Entities { get; } = new();

    public StringPool Strings { get; } = new();

    /// <summary>Events that arrived at or before their entity's last processed time and were dropped.</summary>
    public long LateEvents;

    /// <summary>Encodes source columns into a chunk (filter, entity ids, slots; see <see cref="EventChunk.Build"/> for <paramref name="arrays"/>).</summary>
    public EventChunk Encode(Dictionary<string, ValueVector> source, int length, ChunkArrays? arrays = null) =>
        EventChunk.Build(Plan, source, length, Entities, Strings, arrays);

    /// <summary>
    /// The entity ids and times of the events <see cref="Encode"/> would keep from <paramref name="source"/> (the
    /// entity, time and filter columns suffice), handing out ids as Encode does (<see cref="EventChunk.BuildKeys"/>).
    /// </summary>
    public (int[] Entity, long[] Time, int Length) EncodeKeys(Dictionary<string, ValueVector> source, int length) =>
        EventChunk.BuildKeys(Plan, source, length, Entities, Strings);

    /// <summary>
    /// Computes every feature for every row of <paramref name="chunk"/>; the returned columns are indexed by
    /// feature and hold one value per chunk row, in chunk row order.
    /// </summary>
    public ValueVector[] Process(EventChunk chunk) => Process(chunk, false);

    /// <summary>
    /// As <see cref="Process(EventChunk)"/>; with <paramref name="pooled"/> the scalar aggregation columns' value
    /// arrays are rented (and may be longer than the chunk): hand the result to <see cref="ReturnPooled"/> once it has
    /// been written. The batch computation does this so a chunk's dozen output arrays are reused by the next chunk.
    /// </summary>
    public ValueVector[] Process(EventChunk chunk, bool pooled) => Compute(chunk, pooled, null);

    /// <summary>
    /// Computes every feature for every row of <paramref name="chunk"/>, in (UTC day, entity, time, arrival) order
    /// rather than chunk row order: the kernels write each day's rows as one sequential stream and no permutation
    /// pass or second buffer is needed, and a batch run writes each day as one contiguous block.
    /// <paramref name="rowAt"/>[i] is the chunk row of output row i. Value arrays are rented as with
    /// <see cref="Process(EventChunk, bool)"/> with pooling on: hand the result to <see cref="ReturnPooled"/>.
    /// </summary>
    public ValueVector[] ProcessByDay(EventChunk chunk, out int[] rowAt)
    {
        // Rented (and possibly longer than the chunk) unless expressions read it whole: see ReturnRowOrder.
        var rows = Plan.Expressions.Length == 0 ? _arrays.Ints.Rent(chunk.Length) : new int[chunk.Length];
        var features = Compute(chunk, true, rows);
        rowAt = rows;
        return features;
    }

    /// <summary>Hands a <see cref="ProcessByDay"/> row order back once nothing reads it.</summary>
    public void ReturnRowOrder(int[] rowAt) => _arrays.Ints.Return(rowAt);

    /// <summary>
    /// Whether an entity's retained events are those inside its longest bounded window only: no <c>last</c> or
    /// <c>last_n</c> keeps older values.
    /// </summary>
    internal bool RetainsWindowsOnly
    {
        get
        {
            foreach (int keep in _layout.KeepLast)
            {
                if (keep > 0) { return false; }
            }
            return _layout.LongestBounded > 0;
        }
    }

    /// <summary>The entities' retained events (tests read how it was rebuilt).</summary>
    internal EventArena Arena => _arena;

    /// <summary>The engine's per-chunk array pools, for the output columns a batch run builds around the features.</summary>
    internal ChunkArrays Arrays => _arrays;

    /// <param name="chunk">The events.</param>
    /// <param name="pooled">Rent the scalar value arrays (see <see cref="ReturnPooled"/>).</param>
    /// <param name="rowAt">
    /// Null for chunk row order; else an array of the chunk's length that receives, for each output row of the
    /// (day, entity, time) order, its chunk row.
    /// </param>
    private ValueVector[] Compute(EventChunk chunk, bool pooled, int[]? rowAt)
    {
        // The expression kernels work on whole arrays, so a group with expressions gets exact-length arrays.
        pooled &= Plan.Expressions.Length == 0;
        int n = chunk.Length;
        var plan = Plan;
        var outputs = new AggOutputBuffer[plan.Aggs.Length];
        for (int a = 0; a < outputs.Length; a++)
        {
            var spec = plan.Aggs[a];
            outputs[a] = new AggOutputBuffer(spec, spec.Slot >= 0 ? plan.Slots[spec.Slot].Kind : ValueKind.Int64, n, _arrays);
        }
        _states.EnsureCapacity(Entities.Count);
        _arena.EnsureEntities(Entities.Count);

        var t0 = Diagnostics.StageTimes.Now;
        var (order, groupStarts, sortedTime) = ChunkSorter.SortByEntityAndTime(chunk, Parallelism, _arrays);
        Diagnostics.StageTimes.Add(Diagnostics.Stage.Sort, t0);
        t0 = Diagnostics.StageTimes.Now;
        int groups = PlanGroups(chunk, order, groupStarts, sortedTime);
        for (int s = 0; s < chunk.SlotValid.Length; s++)
        {
            if (chunk.SlotValid[s] is { } v && v.AsSpan(0, n).Contains(false)) { _arena.SeeNulls(s); }
        }
        int[]? positions = rowAt is null ? null : DayPositions(chunk, order, sortedTime, rowAt, _arrays);
        // The kernels write sorted (entity, time) order; a chunk of several days is permuted into output order after.
        var kernel = new WindowKernel(_layout, _arena, outputs, _states);
        // Split the groups into contiguous ranges of about equal cost, one per worker; an entity's events all go to
        // one worker, so no state is shared between threads. An entity costs per event and per chunk (its state,
        // deques and retained events are fetched and saved once per chunk), and the two differ in where they sit:
        // entity ids follow first appearance, so the busiest entities come first and the long tail of one-event
        // entities last; splitting by events alone gave the second worker most of the groups.
        int parts = Math.Min(Parallelism, Math.Max(1, groups));
        var bounds = new int[parts + 1];
        long cost = (long)n + ((long)groups * GroupCost);
        for (int p = 1, g = 0; p < parts; p++)
        {
            long target = cost * p / parts;
            while (g < groups && groupStarts[g] + ((long)g * GroupCost) < target) { g++; }
            bounds[p] = g;
        }
        bounds[parts] = groups;
        SharedWork.For(parts, parts, part => RunEntities(chunk, order, sortedTime, kernel, bounds[part], bounds[part + 1], _scratch[part]));
        _arrays.Longs.Return(sortedTime);
        // Late events (at the front of their entity's sorted rows) get no values.
        for (int g = 0; g < groups; g++)
        {
            int late = _groupOutput[g] - groupStarts[g];
            if (late == 0) { continue; }
            for (int k = groupStarts[g]; k < groupStarts[g] + late; k++)
            {
                foreach (var o in outputs)
                {
                    o.Valid[k] = false;
                    if (o.ListLength is { } lengths) { lengths[k] = 0; }
                }
            }
        }
        Diagnostics.StageTimes.Add(Diagnostics.Stage.Kernel, t0);
        t0 = Diagnostics.StageTimes.Now;

        var result = new ValueVector[plan.Definition.Features.Count];
        // Sorted order to chunk row order, or to (day, entity, time) order when the chunk spans days; a one-day
        // chunk's sorted order is its output order. One tight pass per output: scattering each entity's few values
        // through the day positions inside the kernels cost about three times as much per value (1M-event bench).
        int[]? permutation = rowAt is null ? order : positions;
        if (permutation is not null)
        {
            SharedWork.For(outputs.Length, Parallelism, a => outputs[a].PermuteToRowOrder(permutation, pooled && !outputs[a].Spec.IsList));
        }
        else
        {
            foreach (var o in outputs) { o.Keep(pooled); }
        }
        foreach (var o in outputs)
        {
            result[o.Spec.FeatureIndex] = ToColumn(o, n);
            o.ReturnValid();
        }
        // The sorted order and output positions are done with: the next chunk's sorts and row orders reuse them.
        _arrays.Ints.Return(order);
        if (positions is not null) { _arrays.Ints.Return(positions); }
        EvaluateExpressions(chunk, result, rowAt);
        Diagnostics.StageTimes.Add(Diagnostics.Stage.Permute, t0);
        return result;
    }

    /// <summary>Appends, computes and trims the entity groups [<paramref name="from"/>, <paramref name="to"/>) of the chunk, on one worker.</summary>
    private void RunEntities(EventChunk chunk, int[] order, long[] sortedTime, WindowKernel kernel, int from, int to, KernelScratch scratch)
    {
        if (from >= to) { return; }
        // The groups' rows, gathered from chunk order into sorted order in one tight loop per column: the gathers
        // are independent loads the CPU overlaps, where gathering each entity's few rows beside its kernel work left
        // them waiting one after another. Each entity's events are then one sequential copy.
        int first = _groupOutput[from];
        int rows = _groupOutput[to - 1] + _groupAdded[to - 1] - first;
        if (rows <= 0) { return; }
        scratch.Gather(chunk, order, first, rows);
        for (int g = from; g < to; g++)
        {
            // Entities are visited in id order but far apart in memory: hint the state and bounds of the entity
            // PrefetchAhead groups on, and, now that those are cached, the events of the one half as far on
            // (see CachePrefetch).
            if (g + PrefetchAhead < to)
            {
                int far = _groupEntity[g + PrefetchAhead];
                _states.Prefetch(far);
                _arena.PrefetchBounds(far);
            }
            if (g + (PrefetchAhead / 2) < to) { kernel.Prefetch(_groupEntity[g + (PrefetchAhead / 2)]); }
            int entity = _groupEntity[g];
            int added = _groupAdded[g];
            if (added == 0) { continue; }
            int newStart = Append(scratch, sortedTime, _groupOutput[g], first, entity, added);
            kernel.Run(entity, _arena.Bounds(entity).Start, newStart, newStart + added, _groupOutput[g], scratch);
            Retain(entity);
        }
    }

    /// <summary>
    /// Assigns each sorted event its output row in (day, entity, time) order: a stable counting sort by UTC day of
    /// the (entity, time) order. Fills <paramref name="rowAt"/> and returns the output row of each sorted position, or
    /// null when the chunk holds one day (each sorted position is then its own output row).
    /// </summary>
    private static int[]? DayPositions(EventChunk chunk, int[] order, long[] sortedTime, int[] rowAt, ChunkArrays arrays)
    {
        int n = chunk.Length;
        var time = chunk.Time;
        var (first, last) = Definitions.Durations.DayRange(time.AsSpan(0, n));
        if (first >= last)
        {
            // One day (or none): the (entity, time) order is already the output order.
            order.AsSpan(0, n).CopyTo(rowAt);
            return null;
        }
        var positions = arrays.Ints.Rent(n);
        if (last - first >= 1 << 20) { throw Errors.Unsupported($"a chunk spans {last - first + 1:N0} days; batch chunks span a few"); }
        var next = new int[last - first + 2];
        long dayStart = first * Definitions.Durations.MicrosPerDay;
        for (int i = 0; i < n; i++) { next[Definitions.Durations.DaysFrom(dayStart, time[i]) + 1]++; }
        for (int d = 1; d < next.Length; d++) { next[d] += next[d - 1]; }
        for (int k = 0; k < n; k++)
        {
            int row = order[k];
            int at = next[Definitions.Durations.DaysFrom(dayStart, sortedTime[k])]++;
            positions[k] = at;
            rowAt[at] = row;
        }
        return positions;
    }

    /// <summary>
    /// Notes each entity group's entity, its first sorted row that is not late, and how many new events it appends,
    /// and plans room for them in the arena. New events at or before the entity's last processed time are late:
    /// they are left out (their outputs stay null) and counted.
    /// </summary>
    private int PlanGroups(EventChunk chunk, int[] order, int[] groupStarts, long[] sortedTime)
    {
        int groups = groupStarts.Length - 1;
        if (_groupEntity.Length < groups)
        {
            _groupEntity = new int[groups];
            _groupAdded = new int[groups];
            _groupOutput = new int[groups];
        }
        var lastTime = _states.LastTime;
        long late = 0;
        for (int g = 0; g < groups; g++)
        {
            int start = groupStarts[g], end = groupStarts[g + 1];
            int entity = chunk.Entity[order[start]];
            long last = lastTime[entity];
            int skip = 0;
            while (start + skip < end && sortedTime[start + skip] <= last) { skip++; }
            late += skip;
            _groupEntity[g] = entity;
            _groupOutput[g] = start + skip;
            _groupAdded[g] = end - start - skip;
        }
        LateEvents += late;
        _arena.Plan(_groupEntity, _groupAdded, groups);
        return groups;
    }

    /// <summary>
    /// Copies an entity's new events, at sorted positions [<paramref name="sorted"/>, + <paramref name="added"/>)
    /// (their values gathered from <paramref name="first"/> on, see <see cref="KernelScratch.Gather"/>), behind its
    /// retained ones.
    /// </summary>
    private int Append(KernelScratch scratch, long[] sortedTime, int sorted, int first, int entity, int added)
    {
        var arena = _arena;
        int at = arena.MakeRoom(entity, added);
        int row = sorted - first;
        Copy(sortedTime, sorted, arena.Time, at, added);
        for (int s = 0; s < scratch.SortedBits.Length; s++)
        {
            Copy(scratch.SortedBits[s], row, arena.Bits[s], at, added);
            if (!arena.NullsSeen[s]) { continue; }
            var present = arena.Valid[s].AsSpan(at, added);
            if (scratch.SortedValid[s] is { } v) { v.AsSpan(row, added).CopyTo(present); }
            else if (added <= SmallCopy) { foreach (ref bool p in present) { p = true; } }
            else { present.Fill(true); }
        }
        arena.Bounds(entity).End = at + added;
        return at;
    }

    // Most entities append a handful of events per chunk: a plain loop copies those faster than a call to memmove.
    private const int SmallCopy = 16;

    private static void Copy(long[] from, int fromIndex, long[] to, int toIndex, int count)
    {
        if (count > SmallCopy)
        {
            from.AsSpan(fromIndex, count).CopyTo(to.AsSpan(toIndex, count));
            return;
        }
        var src = from.AsSpan(fromIndex, count);
        var dst = to.AsSpan(toIndex, count);
        for (int k = 0; k < src.Length; k++) { dst[k] = src[k]; }
    }

    /// <summary>
    /// Records the entity's last time and drops the events its future windows cannot reach: those at or before its
    /// last time minus the longest bounded window, except the newest values an unbounded <c>last</c>/<c>last_n</c>
    /// reads.
    /// </summary>
    private void Retain(int entity)
    {
        var arena = _arena;
        var layout = _layout;
        ref var bounds = ref arena.Bounds(entity);
        int start = bounds.Start, end = bounds.End;
        var time = arena.Time;
        long last = time[end - 1];
        _states.LastTime[entity] = last;
        int from = end;
        if (layout.LongestBounded > 0)
        {
            long limit = last - layout.LongestBounded;
            from = start;
            while (from < end && time[from] <= limit) { from++; }
        }
        for (int s = 0; s < layout.KeepLast.Length; s++)
        {
            int need = layout.KeepLast[s];
            if (need == 0) { continue; }
            int i = end - 1;
            if (!arena.NullsSeen[s])
            {
                i = Math.Max(start, end - need) - 1;
            }
            else
            {
                var valid = arena.Valid[s];
                for (; i >= start && need > 0; i--)
                {
                    if (valid[i]) { need--; }
                }
            }
            from = Math.Min(from, i + 1);
        }
        arena.DropBefore(entity, from);
    }

    private ValueVector ToColumn(AggOutputBuffer o, int n)
    {
        if (o.Spec.IsList)
        {
            return ListColumns.Create(o, n, Strings);
        }
        // The bitmap only when some value is null (the usual all-valid column reads as no bitmap).
        var valid = o.Valid.AsSpan(0, n).Contains(false) ? ValueVector.Validity(o.Valid.AsSpan(0, n)) : null;
        if (o.D is not null)
        {
            return ValueVector.FromDoubles(o.D, valid, n);
        }
        if (o.ElementKind == ValueKind.String)
        {
            return Strings.Gather(o.L.AsSpan(0, n), o.Valid.AsSpan(0, n), valid);
        }
        return o.ElementKind == ValueKind.Bool ? ValueVector.FromFlagLongs(o.L!, valid, n) : ValueVector.FromLongs(o.ElementKind, o.L!, valid, n);
    }

    /// <summary>Returns the rented arrays of a <see cref="Process(EventChunk, bool)"/> result with pooling on.</summary>
    public void ReturnPooled(ValueVector[] features)
    {
        if (Plan.Expressions.Length > 0) { return; }
        foreach (var spec in Plan.Aggs)
        {
            if (spec.IsList) { continue; }
            var c = features[spec.FeatureIndex];
            if (c.Doubles is { } d) { _arrays.Doubles.Return(d); }
            else if (c.Longs is { } l && c.Kind != ValueKind.String) { _arrays.Longs.Return(l); }
        }
    }

    private void EvaluateExpressions(EventChunk chunk, ValueVector[] result, int[]? rowAt)
    {
        if (Plan.Expressions.Length == 0) { return; }
        var def = Plan.Definition;
        // Source columns follow the output order.
        var source = chunk.Columns;
        if (rowAt is not null)
        {
            source = new Dictionary<string, ValueVector>(chunk.Columns.Count, StringComparer.Ordinal);
            foreach (var (name, column) in chunk.Columns) { source[name] = column.Take(rowAt); }
        }
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < def.Features.Count; i++) { byName[def.Features[i].Name] = i; }
        foreach (var (index, expr, _) in Plan.Expressions)
        {
            try
            {
                result[index] = ExpressionEvaluator.Evaluate(expr, name =>
                    byName.TryGetValue(name, out int j) ? result[j] : source.GetValueOrDefault(name), chunk.Length);
            }
            catch (ExpressionException e)
            {
                throw Errors.InvalidData($"feature group '{def.Name}': features[{index}].expr: {e.Message}");
            }
        }
    }
}
