using System.Runtime.CompilerServices;
using Floe.Features.Definitions;
using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// Evaluates every aggregation of one chunk, one entity at a time, over the entity's retained events followed by its
/// new ones (one contiguous range of the <see cref="EventArena"/>). Each window is a two-pointer pass whose
/// aggregators persist between chunks (<see cref="EntityStates"/>): an event is added once and evicted once, so the
/// cost is O(events × windows) whatever the window lengths and however the events are chunked. Events with the same
/// timestamp form a run: the whole run is added before any value is read, so each sees all of them (window
/// (t − w, t] includes every event at t). Batch chunks and streaming emits run the same code on the same state,
/// which is why they agree bit for bit.
/// </summary>
internal sealed partial class WindowKernel
{
    private readonly KernelLayout _layout;
    private readonly EventArena _events;
    private readonly AggOutputBuffer[] _outputs;
    private readonly EntityStates _states;

    /// <param name="layout">Where each window's state and outputs live.</param>
    /// <param name="events">The retained events, per entity.</param>
    /// <param name="outputs">One output buffer per aggregation, written in sorted (entity, time) order.</param>
    /// <param name="states">Each entity's aggregator state.</param>
    public WindowKernel(KernelLayout layout, EventArena events, AggOutputBuffer[] outputs, EntityStates states)
    {
        _layout = layout;
        _events = events;
        _outputs = outputs;
        _states = states;
        _targets = new WindowTargets[layout.Groups.Length][];
        for (int g = 0; g < layout.Groups.Length; g++)
        {
            var members = layout.Groups[g].Passes;
            _targets[g] = new WindowTargets[members.Length];
            for (int j = 0; j < members.Length; j++) { _targets[g][j] = new WindowTargets(layout.Passes[members[j]], outputs); }
        }
        _floatFast = new bool[layout.Groups.Length];
        for (int g = 0; g < layout.Groups.Length; g++)
        {
            var group = layout.Groups[g];
            _floatFast[g] = group.Slot >= 0 && group.IsFloat && Array.TrueForAll(_targets[g], t => !t.Generic);
        }
    }

    // Per group and window, its output arrays resolved for this chunk.
    private readonly WindowTargets[][] _targets;

    // Per group: whether it may take TryRunFloatGroup (a double slot, at most one output of each kind per window).
    private readonly bool[] _floatFast;

    /// <summary>
    /// Computes every aggregation for the new events [<paramref name="newStart"/>, <paramref name="end"/>) of
    /// <paramref name="entity"/>, whose retained events start at <paramref name="first"/>; the value for new event
    /// k goes to sorted position <paramref name="outputStart"/> + (k − <paramref name="newStart"/>).
    /// </summary>
    public void Run(int entity, int first, int newStart, int end, int outputStart, KernelScratch scratch)
    {
        if (newStart == end) { return; }
        var passes = _layout.Passes;
        scratch.EnsureQueues(end - first, _layout.NeedsBySlot);
        long eventsBefore = _states.Events[entity];
        // Absolute event number n sits at arena position n − origin.
        long origin = _events.Bounds(entity).Base - first;
        var groups = _layout.Groups;
        for (int g = 0; g < groups.Length; g++)
        {
            if (_floatFast[g] && TryRunFloatGroup(groups[g], _targets[g], entity, origin, newStart, end, outputStart, scratch)) { continue; }
            RunGroup(groups[g], _targets[g], entity, origin, newStart, end, outputStart, scratch);
        }
        foreach (int p in _layout.Singles)
        {
            var pass = passes[p];
            ref var st = ref _states.Of(entity, p);
            if (pass.Unbounded)
            {
                RunGeneral(pass, ref st, scratch, first, first, newStart, end, outputStart, eventsBefore);
                continue;
            }
            int left = (int)(st.Left - origin);
            if (pass.Slot >= 0) { RestoreWindow(pass, ref st, scratch, entity, p, left, newStart); }
            left = RunGeneral(pass, ref st, scratch, first, left, newStart, end, outputStart, 0);
            st.Left = left + origin;
            if ((pass.Needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0) { SaveDeques(pass, ref st, scratch, entity, p, left); }
        }
        _states.Events[entity] = eventsBefore + (end - newStart);
    }

    /// <summary>
    /// Hints the retained events <paramref name="entity"/>'s windows will evict first (each group's left edges) and
    /// where its new events will go; its states and bounds must already be cached (<see cref="EntityStates.Prefetch"/>,
    /// <see cref="EventArena.PrefetchBounds"/>) or these reads wait on them.
    /// </summary>
    public void Prefetch(int entity)
    {
        ref var bounds = ref _events.Bounds(entity);
        long origin = bounds.Base - bounds.Start;
        foreach (var group in _layout.Groups)
        {
            foreach (int p in group.Passes) { _events.PrefetchEvent((int)(_states.Of(entity, p).Left - origin), group.Slot); }
        }
        _events.PrefetchEvent(bounds.End, _layout.Groups.Length > 0 ? _layout.Groups[0].Slot : -1);
    }

    /// <summary>
    /// Restores what a bounded window keeps outside its state: the newest value's position and the min/max deques,
    /// from their saved copies.
    /// </summary>
    private void RestoreWindow(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int entity, int p, int left, int newStart)
    {
        ref var c = ref scratch.Cursors;
        int s = pass.Slot;
        c.FirstValid = left;
        c.LastValid = LastWithValue(s, left, newStart);
        var needs = pass.Needs;
        if ((needs & SlotNeeds.Min) != 0)
        {
            c.MinHead = 0;
            c.MinTail = RestoreDeque(entity, p, false, st.MinSaved, scratch.MinQueues[s], left);
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            c.MaxHead = 0;
            c.MaxTail = RestoreDeque(entity, p, true, st.MaxSaved, scratch.MaxQueues[s], left);
        }
    }

    /// <summary>Copies a saved deque of <paramref name="count"/> offsets from <paramref name="left"/> into <paramref name="queue"/>; returns its tail.</summary>
    private int RestoreDeque(int entity, int p, bool max, int count, int[] queue, int left)
    {
        ReadOnlySpan<int> saved = count <= EntityStates.SavedDequeLength ? _states.SavedDeque(entity, p, max) : _states.LongDeque(entity, p, max);
        for (int i = 0; i < count; i++) { queue[i] = left + saved[i]; }
        return count;
    }

    private void SaveDeques(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int entity, int p, int left)
    {
        ref var c = ref scratch.Cursors;
        if ((pass.Needs & SlotNeeds.Min) != 0) { st.MinSaved = SaveDeque(entity, p, false, scratch.MinQueues[pass.Slot], c.MinHead, c.MinTail, left); }
        if ((pass.Needs & SlotNeeds.Max) != 0) { st.MaxSaved = SaveDeque(entity, p, true, scratch.MaxQueues[pass.Slot], c.MaxHead, c.MaxTail, left); }
    }

    /// <summary>
    /// Saves deque [<paramref name="head"/>, <paramref name="tail"/>) as offsets from <paramref name="left"/>: in the
    /// entity's short slot when it fits, else in its long array (grown geometrically, so a hot entity allocates
    /// O(log) times). Returns the saved count.
    /// </summary>
    private int SaveDeque(int entity, int p, bool max, int[] queue, int head, int tail, int left)
    {
        int count = tail - head;
        Span<int> saved;
        if (count <= EntityStates.SavedDequeLength)
        {
            saved = _states.SavedDeque(entity, p, max);
        }
        else
        {
            ref var store = ref _states.LongDeque(entity, p, max);
            if (store is null || store.Length < count) { store = new int[Math.Max(count, (store?.Length ?? 0) * 2)]; }
            saved = store;
        }
        for (int i = 0; i < count; i++) { saved[i] = queue[head + i] - left; }
        return count;
    }

    /// <summary>
    /// Any aggregation over any window. Returns the window's new left edge (bounded windows); an unbounded window
    /// only adds, and its event count continues from <paramref name="eventsBefore"/>.
    /// </summary>
    private int RunGeneral(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int first, int left, int newStart, int end, int outputStart, long eventsBefore)
    {
        var time = _events.Time;
        bool unbounded = pass.Unbounded;
        long length = pass.Length;
        int s = pass.Slot;
        if (unbounded && s >= 0)
        {
            scratch.Cursors.LastValid = LastWithValue(s, first, newStart);
        }
        int right = newStart;
        for (int k = newStart; k < end;)
        {
            long t = time[k];
            int runEnd = k + 1;
            while (runEnd < end && time[runEnd] == t) { runEnd++; }
            if (s >= 0)
            {
                for (; right < runEnd; right++) { Add(pass, ref st, scratch, right); }
            }
            right = runEnd;
            if (!unbounded)
            {
                long limit = Before(t, length);
                if (time[left] <= limit)
                {
                    // time[k] = t > limit, so the scan stops inside the window.
                    int newLeft = left + 1;
                    while (time[newLeft] <= limit) { newLeft++; }
                    if (s >= 0) { Evict(pass, ref st, scratch, left, newLeft); }
                    left = newLeft;
                }
            }
            long events = unbounded ? eventsBefore + (runEnd - newStart) : runEnd - left;
            int row = outputStart + (k - newStart);
            foreach (int o in pass.Outputs) { Emit(_outputs[o], pass, ref st, scratch, events, left, right, row, runEnd - k); }
            k = runEnd;
        }
        return left;
    }

    /// <summary>
    /// The common case: count, sum, mean, min and max of one slot (or of events alone) over several bounded windows,
    /// in one loop over the entity's events. Each new event is added once for every window: the group keeps running
    /// totals of what it added, each window the totals of what it evicted, and a window's aggregate is the
    /// difference. Sums are exact: integers in Int128; doubles as fixed-point Int128 multiples of 2^-64 when the
    /// value is one below 2^32 in magnitude (prices, amounts, counts), else in the window's <see cref="ExactSum"/>,
    /// with NaN and infinities counted apart. A value is thus the correctly rounded sum of the window's contents,
    /// however it was reached. All windows share one min and one max deque, kept for the longest window, each
    /// window reading it from its own head (the first position inside it).
    /// </summary>
    private void RunGroup(WindowGroup group, WindowTargets[] targets, int entity, long origin, int newStart, int end, int rowBase, KernelScratch scratch)
    {
        var members = group.Passes;
        int m = members.Length;
        int last = m - 1;
        var passes = _layout.Passes;
        var time = _events.Time;
        int s = group.Slot;
        bool hasSlot = s >= 0;
        bool isFloat = group.IsFloat;
        var values = hasSlot ? _events.Bits[s] : [];
        // Flags are read only once the slot has seen a null (until then it has none: see EventArena.Valid).
        bool anyNull = hasSlot && _events.NullsSeen[s];
        var present = anyNull ? _events.Valid[s] : [];
        bool wantMin = (group.Needs & SlotNeeds.Min) != 0;
        bool wantMax = (group.Needs & SlotNeeds.Max) != 0;
        var minQ = wantMin ? scratch.MinQueues[s] : [];
        var maxQ = wantMax ? scratch.MaxQueues[s] : [];

        Span<int> left = stackalloc int[m];
        Span<long> lengths = stackalloc long[m];
        Span<long> evictedCount = stackalloc long[m];
        Span<Int128> evictedSum = stackalloc Int128[m];
        // Per window: NaN, +∞ and −∞ values inside it.
        Span<int> specials = stackalloc int[3 * m];
        Span<int> minHead = stackalloc int[m];
        Span<int> maxHead = stackalloc int[m];
        bool anyWide = false;
        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            left[j] = (int)(st.Left - origin);
            lengths[j] = passes[members[j]].Length;
            evictedCount[j] = -st.Count;
            evictedSum[j] = -st.IntSum;
            specials[3 * j] = st.NaN;
            specials[(3 * j) + 1] = st.PosInf;
            specials[(3 * j) + 2] = st.NegInf;
            anyWide |= st.Sum is not null;
        }
        int basePass = members[last];
        int minTail = 0, maxTail = 0;
        if (wantMin)
        {
            minTail = RestoreDeque(entity, basePass, false, _states.Of(entity, basePass).MinSaved, minQ, left[last]);
            for (int j = 0; j < m; j++)
            {
                int h = 0;
                while (h < minTail && minQ[h] < left[j]) { h++; }
                minHead[j] = h;
            }
        }
        if (wantMax)
        {
            maxTail = RestoreDeque(entity, basePass, true, _states.Of(entity, basePass).MaxSaved, maxQ, left[last]);
            for (int j = 0; j < m; j++)
            {
                int h = 0;
                while (h < maxTail && maxQ[h] < left[j]) { h++; }
                maxHead[j] = h;
            }
        }

        long added = 0;
        Int128 total = 0;
        int right = newStart;
        for (int k = newStart; k < end;)
        {
            long t = time[k];
            int runEnd = k + 1;
            while (runEnd < end && time[runEnd] == t) { runEnd++; }
            if (hasSlot)
            {
                for (; right < runEnd; right++)
                {
                    if (anyNull && !present[right]) { continue; }
                    long bits = values[right];
                    added++;
                    if (isFloat)
                    {
                        if (TryFixed(bits, out var term)) { total += term; }
                        else if (!AddOther(bits, entity, members, specials, ref anyWide)) { continue; }
                        double d = BitConverter.Int64BitsToDouble(bits);
                        if (wantMax)
                        {
                            int floor = maxHead[last];
                            while (maxTail > floor && BitConverter.Int64BitsToDouble(values[maxQ[maxTail - 1]]) <= d) { maxTail--; }
                            for (int j = 0; j < last; j++) { if (maxHead[j] > maxTail) { maxHead[j] = maxTail; } }
                            maxQ[maxTail++] = right;
                        }
                        if (wantMin)
                        {
                            int floor = minHead[last];
                            while (minTail > floor && BitConverter.Int64BitsToDouble(values[minQ[minTail - 1]]) >= d) { minTail--; }
                            for (int j = 0; j < last; j++) { if (minHead[j] > minTail) { minHead[j] = minTail; } }
                            minQ[minTail++] = right;
                        }
                    }
                    else
                    {
                        total += bits;
                        if (wantMax)
                        {
                            int floor = maxHead[last];
                            while (maxTail > floor && values[maxQ[maxTail - 1]] <= bits) { maxTail--; }
                            for (int j = 0; j < last; j++) { if (maxHead[j] > maxTail) { maxHead[j] = maxTail; } }
                            maxQ[maxTail++] = right;
                        }
                        if (wantMin)
                        {
                            int floor = minHead[last];
                            while (minTail > floor && values[minQ[minTail - 1]] >= bits) { minTail--; }
                            for (int j = 0; j < last; j++) { if (minHead[j] > minTail) { minHead[j] = minTail; } }
                            minQ[minTail++] = right;
                        }
                    }
                }
            }
            else
            {
                right = runEnd;
            }

            int row = rowBase + (k - newStart);
            int rows = runEnd - k;
            for (int j = 0; j < m; j++)
            {
                long limit = Before(t, lengths[j]);
                int l = left[j];
                if (time[l] <= limit)
                {
                    // time[k] = t > limit, so the scan stops inside the window.
                    if (hasSlot)
                    {
                        long count = evictedCount[j];
                        Int128 sum = evictedSum[j];
                        for (; time[l] <= limit; l++)
                        {
                            if (anyNull && !present[l]) { continue; }
                            long bits = values[l];
                            count++;
                            if (!isFloat) { sum += bits; }
                            else if (TryFixed(bits, out var term)) { sum += term; }
                            else { RemoveOther(bits, ref _states.Of(entity, members[j]), specials.Slice(3 * j, 3)); }
                        }
                        evictedCount[j] = count;
                        evictedSum[j] = sum;
                    }
                    else
                    {
                        while (time[l] <= limit) { l++; }
                    }
                    left[j] = l;
                    if (wantMax)
                    {
                        int h = maxHead[j];
                        while (h < maxTail && maxQ[h] < l) { h++; }
                        maxHead[j] = h;
                    }
                    if (wantMin)
                    {
                        int h = minHead[j];
                        while (h < minTail && minQ[h] < l) { h++; }
                        minHead[j] = h;
                    }
                }
                long windowCount = added - evictedCount[j];
                var tg = targets[j];
                if (rows == 1 && windowCount > 0 && !tg.Generic)
                {
                    // The common case, stored directly: one row, a non-empty window, one output per kind.
                    if (tg.Events is { } events) { events[row] = runEnd - left[j]; }
                    if (tg.Count is { } counts) { counts[row] = windowCount; }
                    if (isFloat)
                    {
                        if (tg.WantsTotal)
                        {
                            int sp = 3 * j;
                            double windowSum = specials[sp] > 0 || (specials[sp + 1] > 0 && specials[sp + 2] > 0) ? double.NaN
                                : specials[sp + 1] > 0 ? double.PositiveInfinity
                                : specials[sp + 2] > 0 ? double.NegativeInfinity
                                : anyWide && _states.Of(entity, members[j]).Sum is { } wide ? CombinedSum(wide, total - evictedSum[j]) : FixedValue(total - evictedSum[j]);
                            if (tg.Sum is { } sums) { sums[row] = windowSum; }
                            if (tg.Mean is { } means) { means[row] = windowSum / windowCount; }
                        }
                        if (tg.Max is { } maxes) { maxes[row] = specials[3 * j] > 0 || maxHead[j] >= maxTail ? double.NaN : BitConverter.Int64BitsToDouble(values[maxQ[maxHead[j]]]); }
                        if (tg.Min is { } mins) { mins[row] = specials[3 * j] > 0 || minHead[j] >= minTail ? double.NaN : BitConverter.Int64BitsToDouble(values[minQ[minHead[j]]]); }
                    }
                    else
                    {
                        Int128 sum = total - evictedSum[j];
                        if (tg.SumL is { } sums) { sums[row] = checked((long)sum); }
                        if (tg.Mean is { } means) { means[row] = (double)sum / windowCount; }
                        if (tg.MaxL is { } maxes) { maxes[row] = maxHead[j] < maxTail ? values[maxQ[maxHead[j]]] : 0; }
                        if (tg.MinL is { } mins) { mins[row] = minHead[j] < minTail ? values[minQ[minHead[j]]] : 0; }
                    }
                    continue;
                }
                EmitGroup(passes[members[j]], entity, members[j], windowCount, total - evictedSum[j], specials.Slice(3 * j, 3), anyWide,
                    runEnd - left[j], wantMax && maxHead[j] < maxTail ? values[maxQ[maxHead[j]]] : (long?)null, wantMin && minHead[j] < minTail ? values[minQ[minHead[j]]] : (long?)null, row, rows);
            }
            k = runEnd;
        }

        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            st.Left = left[j] + origin;
            st.Count = added - evictedCount[j];
            st.IntSum = total - evictedSum[j];
            st.NaN = specials[3 * j];
            st.PosInf = specials[(3 * j) + 1];
            st.NegInf = specials[(3 * j) + 2];
        }
        ref var baseState = ref _states.Of(entity, basePass);
        if (wantMin) { baseState.MinSaved = SaveDeque(entity, basePass, false, minQ, minHead[last], minTail, left[last]); }
        if (wantMax) { baseState.MaxSaved = SaveDeque(entity, basePass, true, maxQ, maxHead[last], maxTail, left[last]); }
    }

    /// <summary>
    /// Writes one window's outputs of a group for the run of <c>rows</c> rows at <c>row</c>: <c>count</c> values
    /// (NaN included) summing to <c>sum</c> (integers, or the fixed-point part of doubles, see <see cref="TryFixed"/>),
    /// the window's NaN, +∞ and −∞ counts in <c>specials</c>, <c>events</c> events (nulls included), and the
    /// deques' fronts (null when the window has no value for them).
    /// </summary>
    private void EmitGroup(WindowPass pass, int entity, int p, long count, Int128 sum, ReadOnlySpan<int> specials, bool anyWide, int events, long? max, long? min, int row, int rows)
    {
        bool isFloat = pass.IsFloat;
        double total = 0;
        if ((pass.Needs & SlotNeeds.Sum) != 0 && count > 0)
        {
            if (!isFloat) { total = (double)sum; }
            else if (specials[0] > 0 || (specials[1] > 0 && specials[2] > 0)) { total = double.NaN; }
            else if (specials[1] > 0) { total = double.PositiveInfinity; }
            else if (specials[2] > 0) { total = double.NegativeInfinity; }
            else { total = anyWide && _states.Of(entity, p).Sum is { } wide ? CombinedSum(wide, sum) : FixedValue(sum); }
        }
        foreach (int index in pass.Outputs)
        {
            var o = _outputs[index];
            var spec = o.Spec;
            if (spec.Slot < 0)
            {
                Write(o, row, rows, events, 0, true);
                continue;
            }
            switch (spec.Kind)
            {
                case AggregationKind.Count:
                    Write(o, row, rows, count, 0, true);
                    break;
                case AggregationKind.Sum:
                    if (isFloat) { Write(o, row, rows, 0, total, count > 0); }
                    else { Write(o, row, rows, count > 0 ? checked((long)sum) : 0, 0, count > 0); }
                    break;
                case AggregationKind.Mean:
                    Write(o, row, rows, 0, count > 0 ? total / count : 0, count > 0);
                    break;
                default:
                    {
                        long? v = spec.Kind == AggregationKind.Min ? min : max;
                        if (isFloat) { Write(o, row, rows, 0, specials[0] > 0 || v is null ? double.NaN : BitConverter.Int64BitsToDouble(v.Value), count > 0); }
                        else { Write(o, row, rows, v ?? 0, 0, count > 0); }
                        break;
                    }
            }
        }
    }

    /// <summary>See <see cref="FixedPoint.TryTerm"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryFixed(long bits, out Int128 term) => FixedPoint.TryTerm(bits, out term);

    /// <summary>The double nearest a fixed-point sum (ties to even), as <see cref="ExactSum.Value"/> gives it: one rounding, then an exact scaling.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double FixedValue(Int128 sum) => FixedPoint.Value(sum);

    /// <summary>
    /// The correctly rounded sum of a window's wide values and its fixed-point sum: the fixed part is added to the
    /// exact accumulator in three exactly representable pieces, read, and taken out again.
    /// </summary>
    private static double CombinedSum(ExactSum wide, Int128 sum)
    {
        bool negative = sum < 0;
        var mag = negative ? (UInt128)(-sum) : (UInt128)sum;
        const ulong Mask = (1UL << 48) - 1;
        double p0 = Math.ScaleB((double)(ulong)(mag & Mask), -64);
        double p1 = Math.ScaleB((double)(ulong)((mag >> 48) & Mask), -16);
        double p2 = Math.ScaleB((double)(ulong)(mag >> 96), 32);
        if (negative) { p0 = -p0; p1 = -p1; p2 = -p2; }
        wide.Add(p0);
        wide.Add(p1);
        wide.Add(p2);
        double v = wide.Value;
        wide.Remove(p0);
        wide.Remove(p1);
        wide.Remove(p2);
        return v;
    }

    /// <summary>
    /// A double outside the fixed-point range entering every window of a group: NaN and infinities are counted per
    /// window, other values go to each window's exact wide sum. Returns false for NaN, which the deques skip.
    /// </summary>
    private bool AddOther(long bits, int entity, int[] members, Span<int> specials, ref bool anyWide)
    {
        double d = BitConverter.Int64BitsToDouble(bits);
        if (double.IsFinite(d))
        {
            foreach (int p in members) { (_states.Of(entity, p).Sum ??= new ExactSum()).Add(d); }
            anyWide = true;
            return true;
        }
        int which = double.IsNaN(d) ? 0 : d > 0 ? 1 : 2;
        for (int j = 0; j < members.Length; j++) { specials[(3 * j) + which]++; }
        return which != 0;
    }

    /// <summary>A double outside the fixed-point range leaving one window (see <see cref="AddOther"/>).</summary>
    private static void RemoveOther(long bits, ref AggregatorState st, Span<int> specials)
    {
        double d = BitConverter.Int64BitsToDouble(bits);
        if (double.IsFinite(d)) { st.Sum!.Remove(d); }
        else { specials[double.IsNaN(d) ? 0 : d > 0 ? 1 : 2]--; }
    }

    // The latest time outside a window of `length` ending at t, clamped to long.MinValue; without a branch (a limit
    // below long.MinValue clamps to it), so FloatEdges' branch-free merges can take it per step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Before(long t, long length) => Math.Max(t, long.MinValue + length) - length;

    // The newest event in [from, to) with a value in slot s, or -1.
    private int LastWithValue(int s, int from, int to)
    {
        if (!_events.NullsSeen[s]) { return to > from ? to - 1 : -1; }
        var valid = _events.Valid[s];
        for (int i = to - 1; i >= from; i--)
        {
            if (valid[i]) { return i; }
        }
        return -1;
    }

    private void Add(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int i)
    {
        int s = pass.Slot;
        if (_events.NullsSeen[s] && !_events.Valid[s][i]) { return; }
        long bits = _events.Bits[s][i];
        var needs = pass.Needs;
        bool unbounded = pass.Unbounded;
        st.Count++;
        scratch.Cursors.LastValid = i;
        if (unbounded && st.Rare?.HasFirst != true)
        {
            var rare = st.Rare ??= new RareAggregates();
            rare.HasFirst = true;
            rare.FirstBits = bits;
        }
        bool wantSquares = (needs & SlotNeeds.SumOfSquares) != 0;
        if (pass.IsFloat)
        {
            double d = BitConverter.Int64BitsToDouble(bits);
            if (double.IsNaN(d)) { st.NaN++; }
            else if (double.IsPositiveInfinity(d)) { st.PosInf++; }
            else if (double.IsNegativeInfinity(d)) { st.NegInf++; }
            else
            {
                if ((needs & SlotNeeds.Sum) != 0) { (st.Sum ??= new ExactSum()).Add(d); }
                if (wantSquares) { AddSquare(ref st, d, true); }
            }
            if (!double.IsNaN(d) && (needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0)
            {
                if (unbounded) { TrackDoubleExtremes(ref st, bits, d, needs); }
                else { PushDouble(scratch, s, i, d, needs); }
            }
            if ((needs & SlotNeeds.Distinct) != 0) { AddDistinct(ref st, CanonicalBits(d), unbounded); }
            return;
        }
        st.IntSum += bits;
        if (wantSquares)
        {
            double d = bits;
            (st.Sum ??= new ExactSum()).Add(d);
            AddSquare(ref st, d, true);
        }
        if ((needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0)
        {
            if (unbounded) { TrackLongExtremes(ref st, bits, needs); }
            else { PushLong(scratch, s, i, bits, needs); }
        }
        if ((needs & SlotNeeds.Distinct) != 0) { AddDistinct(ref st, bits, unbounded); }
    }

    private void Evict(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int from, int to)
    {
        int s = pass.Slot;
        bool anyNull = _events.NullsSeen[s];
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        var needs = pass.Needs;
        bool isFloat = pass.IsFloat;
        bool wantSquares = (needs & SlotNeeds.SumOfSquares) != 0;
        for (int i = from; i < to; i++)
        {
            if (anyNull && !valid[i]) { continue; }
            long bits = values[i];
            st.Count--;
            if (isFloat)
            {
                double d = BitConverter.Int64BitsToDouble(bits);
                if (double.IsNaN(d)) { st.NaN--; }
                else if (double.IsPositiveInfinity(d)) { st.PosInf--; }
                else if (double.IsNegativeInfinity(d)) { st.NegInf--; }
                else
                {
                    st.Sum?.Remove(d);
                    if (wantSquares) { AddSquare(ref st, d, false); }
                }
                if ((needs & SlotNeeds.Distinct) != 0) { RemoveDistinct(st.Rare!.Distinct!, CanonicalBits(d)); }
                continue;
            }
            st.IntSum -= bits;
            if (wantSquares)
            {
                double d = bits;
                st.Sum!.Remove(d);
                AddSquare(ref st, d, false);
            }
            if ((needs & SlotNeeds.Distinct) != 0) { RemoveDistinct(st.Rare!.Distinct!, bits); }
        }
        ref var c = ref scratch.Cursors;
        if ((needs & SlotNeeds.Min) != 0)
        {
            var q = scratch.MinQueues[s];
            while (c.MinHead < c.MinTail && q[c.MinHead] < to) { c.MinHead++; }
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            var q = scratch.MaxQueues[s];
            while (c.MaxHead < c.MaxTail && q[c.MaxHead] < to) { c.MaxHead++; }
        }
    }

    // Equal values are dominated too: the newer one lives at least as long (so ±0 ties resolve to the newest).
    private void PushDouble(KernelScratch scratch, int s, int i, double d, SlotNeeds needs)
    {
        ref var c = ref scratch.Cursors;
        var values = _events.Bits[s];
        if ((needs & SlotNeeds.Min) != 0)
        {
            var q = scratch.MinQueues[s];
            while (c.MinTail > c.MinHead && BitConverter.Int64BitsToDouble(values[q[c.MinTail - 1]]) >= d) { c.MinTail--; }
            q[c.MinTail++] = i;
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            var q = scratch.MaxQueues[s];
            while (c.MaxTail > c.MaxHead && BitConverter.Int64BitsToDouble(values[q[c.MaxTail - 1]]) <= d) { c.MaxTail--; }
            q[c.MaxTail++] = i;
        }
    }

    private void PushLong(KernelScratch scratch, int s, int i, long v, SlotNeeds needs)
    {
        ref var c = ref scratch.Cursors;
        var values = _events.Bits[s];
        if ((needs & SlotNeeds.Min) != 0)
        {
            var q = scratch.MinQueues[s];
            while (c.MinTail > c.MinHead && values[q[c.MinTail - 1]] >= v) { c.MinTail--; }
            q[c.MinTail++] = i;
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            var q = scratch.MaxQueues[s];
            while (c.MaxTail > c.MaxHead && values[q[c.MaxTail - 1]] <= v) { c.MaxTail--; }
            q[c.MaxTail++] = i;
        }
    }

    private static void TrackDoubleExtremes(ref AggregatorState st, long bits, double d, SlotNeeds needs)
    {
        var r = st.Rare ??= new RareAggregates();
        if ((needs & SlotNeeds.Min) != 0 && (!r.HasMin || d <= BitConverter.Int64BitsToDouble(r.MinBits))) { r.MinBits = bits; r.HasMin = true; }
        if ((needs & SlotNeeds.Max) != 0 && (!r.HasMax || d >= BitConverter.Int64BitsToDouble(r.MaxBits))) { r.MaxBits = bits; r.HasMax = true; }
    }

    private static void TrackLongExtremes(ref AggregatorState st, long v, SlotNeeds needs)
    {
        var r = st.Rare ??= new RareAggregates();
        if ((needs & SlotNeeds.Min) != 0 && (!r.HasMin || v <= r.MinBits)) { r.MinBits = v; r.HasMin = true; }
        if ((needs & SlotNeeds.Max) != 0 && (!r.HasMax || v >= r.MaxBits)) { r.MaxBits = v; r.HasMax = true; }
    }

    // x² = hi + lo exactly (two-product via FMA), so the sum of squares stays exact too.
    private static void AddSquare(ref AggregatorState st, double d, bool add)
    {
        double hi = d * d;
        if (!double.IsFinite(hi))
        {
            st.SquareOverflow += add ? 1 : -1;
            return;
        }
        double lo = Math.FusedMultiplyAdd(d, d, -hi);
        var sumSq = st.SumSq ??= new ExactSum();
        if (add) { sumSq.Add(hi); sumSq.Add(lo); }
        else { sumSq.Remove(hi); sumSq.Remove(lo); }
    }

    private static long CanonicalBits(double d) =>
        d == 0.0 ? 0L : double.IsNaN(d) ? BitConverter.DoubleToInt64Bits(double.NaN) : BitConverter.DoubleToInt64Bits(d);

    private static void AddDistinct(ref AggregatorState st, long key, bool unbounded)
    {
        if (unbounded)
        {
            ((st.Rare ??= new RareAggregates()).Seen ??= []).Add(key);
            return;
        }
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault((st.Rare ??= new RareAggregates()).Distinct ??= [], key, out _);
        c++;
    }

    private static void RemoveDistinct(Dictionary<long, int> counts, long key)
    {
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(counts, key);
        if (--c == 0) { counts.Remove(key); }
    }

    private void Emit(AggOutputBuffer o, WindowPass pass, ref AggregatorState st, KernelScratch scratch, long events, int left, int right, int row, int rows)
    {
        var spec = o.Spec;
        if (spec.Slot < 0)
        {
            Write(o, row, rows, events, 0, true);
            return;
        }
        int s = spec.Slot;
        bool unbounded = pass.Unbounded;
        long n = st.Count;
        bool isFloat = pass.IsFloat;
        var values = _events.Bits[s];
        bool valid = true;
        long lv = 0;
        double dv = 0;
        switch (spec.Kind)
        {
            case AggregationKind.Count:
                lv = n;
                break;
            case AggregationKind.CountDistinct:
                lv = unbounded ? st.Rare?.Seen?.Count ?? 0 : st.Rare?.Distinct?.Count ?? 0;
                break;
            case AggregationKind.Sum:
                if (n == 0) { valid = false; }
                else if (isFloat) { dv = FloatSum(ref st); }
                else { lv = checked((long)st.IntSum); }
                break;
            case AggregationKind.Mean:
                if (n == 0) { valid = false; }
                else if (isFloat) { dv = FloatSum(ref st) / n; }
                else { dv = (double)st.IntSum / n; }
                break;
            case AggregationKind.Variance:
            case AggregationKind.Stddev:
                if (n < 2) { valid = false; }
                else
                {
                    dv = st.NaN + st.PosInf + st.NegInf + st.SquareOverflow > 0 ? double.NaN : Variance(st.Sum!, st.SumSq!, n);
                    if (spec.Kind == AggregationKind.Stddev) { dv = Math.Sqrt(dv); }
                }
                break;
            case AggregationKind.Min:
            case AggregationKind.Max:
                {
                    if (n == 0) { valid = false; break; }
                    bool isMin = spec.Kind == AggregationKind.Min;
                    bool has;
                    long bits;
                    if (unbounded)
                    {
                        var r = st.Rare;
                        has = r is not null && (isMin ? r.HasMin : r.HasMax);
                        bits = r is null ? 0 : isMin ? r.MinBits : r.MaxBits;
                    }
                    else
                    {
                        ref var c = ref scratch.Cursors;
                        has = isMin ? c.MinHead < c.MinTail : c.MaxHead < c.MaxTail;
                        bits = !has ? 0 : values[isMin ? scratch.MinQueues[s][c.MinHead] : scratch.MaxQueues[s][c.MaxHead]];
                    }
                    if (isFloat) { dv = st.NaN > 0 || !has ? double.NaN : BitConverter.Int64BitsToDouble(bits); }
                    else { lv = bits; }
                    break;
                }
            case AggregationKind.First:
                if (n == 0) { valid = false; }
                else if (unbounded) { lv = st.Rare?.FirstBits ?? 0; }
                else
                {
                    int fv = Math.Max(scratch.Cursors.FirstValid, left);
                    if (_events.NullsSeen[s])
                    {
                        var present = _events.Valid[s];
                        while (!present[fv]) { fv++; }
                    }
                    scratch.Cursors.FirstValid = fv;
                    lv = values[fv];
                }
                break;
            case AggregationKind.Last:
                if (n == 0) { valid = false; }
                else { lv = values[scratch.Cursors.LastValid]; }
                break;
            case AggregationKind.LastN:
                WriteLastN(o, scratch, s, (int)Math.Min(n, spec.N), right, row, rows);
                return;
        }
        if (o.D is not null)
        {
            // first/last of a double slot read raw bits.
            if (spec.Kind is AggregationKind.First or AggregationKind.Last) { dv = BitConverter.Int64BitsToDouble(lv); }
            Write(o, row, rows, 0, dv, valid);
        }
        else
        {
            Write(o, row, rows, lv, 0, valid);
        }
    }

    // Runs are usually one event long: a plain store beats a span fill.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(AggOutputBuffer o, int row, int rows, long lv, double dv, bool valid)
    {
        // Validity starts true (see AggOutputBuffer): only nulls are stored.
        if (rows == 1)
        {
            if (o.D is { } d) { d[row] = dv; } else { o.L![row] = lv; }
            if (!valid) { o.Valid[row] = false; }
            return;
        }
        if (o.D is { } dd) { dd.AsSpan(row, rows).Fill(dv); } else { o.L.AsSpan(row, rows).Fill(lv); }
        if (!valid) { o.Valid.AsSpan(row, rows).Clear(); }
    }

    private void WriteLastN(AggOutputBuffer o, KernelScratch scratch, int s, int k, int right, int row, int rows)
    {
        if (k == 0)
        {
            o.Valid.AsSpan(row, rows).Clear();
            o.ListLength.AsSpan(row, rows).Clear();
            return;
        }
        // The k newest values, gathered newest first and written oldest first.
        bool anyNull = _events.NullsSeen[s];
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        var last = scratch.LastValues.AsSpan(0, k);
        for (int i = right - 1, j = k - 1; j >= 0; i--)
        {
            if (!anyNull || valid[i]) { last[j--] = values[i]; }
        }
        for (int r = row; r < row + rows; r++)
        {
            o.Valid[r] = true;
            o.ListLength![r] = k;
            if (o.D is not null) { System.Runtime.InteropServices.MemoryMarshal.Cast<long, double>(last).CopyTo(o.D.AsSpan(r * o.Stride, k)); }
            else { last.CopyTo(o.L.AsSpan(r * o.Stride, k)); }
        }
    }

    private static double FloatSum(ref AggregatorState st)
    {
        if (st.NaN > 0 || (st.PosInf > 0 && st.NegInf > 0)) { return double.NaN; }
        if (st.PosInf > 0) { return double.PositiveInfinity; }
        if (st.NegInf > 0) { return double.NegativeInfinity; }
        return st.Sum!.Value;
    }

    /// <summary>
    /// Sample variance from the exact sums S1 = Σx and S2 = Σx², as (n·S2 − S1²) / (n(n − 1)) evaluated in
    /// double-double arithmetic, so the result is a function of the window's contents only.
    /// </summary>
    private static double Variance(ExactSum sum, ExactSum sumSq, long n)
    {
        var (s1h, s1l) = DoubleDouble(sum);
        var (s2h, s2l) = DoubleDouble(sumSq);
        double dn = n;
        // a = n·S2
        double ah = dn * s2h;
        double al = Math.FusedMultiplyAdd(dn, s2h, -ah) + dn * s2l;
        // b = S1²
        double bh = s1h * s1h;
        double bl = Math.FusedMultiplyAdd(s1h, s1h, -bh) + 2 * s1h * s1l;
        // a − b with a two-sum on the high parts.
        double dh = ah - bh;
        double bb = dh - ah;
        double err = (ah - (dh - bb)) - (bh + bb);
        double diff = dh + (err + al - bl);
        double v = diff / (dn * (dn - 1));
        return v < 0 ? 0 : v;
    }

    private static (double Hi, double Lo) DoubleDouble(ExactSum sum)
    {
        double hi = sum.Value;
        if (!double.IsFinite(hi)) { return (hi, 0); }
        sum.Remove(hi);
        double lo = sum.Value;
        sum.Add(hi);
        return (hi, lo);
    }
}
