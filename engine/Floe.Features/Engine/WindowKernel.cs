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
internal sealed class WindowKernel
{
    private readonly KernelLayout _layout;
    private readonly EventArena _events;
    private readonly AggOutputBuffer[] _outputs;
    private readonly EntityStates _states;
    private readonly int[]? _positions;

    /// <param name="layout">Where each window's state and outputs live.</param>
    /// <param name="events">The retained events, per entity.</param>
    /// <param name="outputs">One output buffer per aggregation.</param>
    /// <param name="states">Each entity's aggregator state.</param>
    /// <param name="positions">Null to write sorted position k to output row k; else the output row of each sorted position.</param>
    public WindowKernel(KernelLayout layout, EventArena events, AggOutputBuffer[] outputs, EntityStates states, int[]? positions)
    {
        _positions = positions;
        _layout = layout;
        _events = events;
        _outputs = outputs;
        _states = states;
    }

    /// <summary>
    /// Computes every aggregation for the new events [<paramref name="newStart"/>, <paramref name="end"/>) of
    /// <paramref name="entity"/>, whose retained events start at <paramref name="first"/>; the value for new event
    /// k goes to sorted position <paramref name="outputStart"/> + (k − <paramref name="newStart"/>), which is the
    /// output row itself unless the kernel was given output positions.
    /// </summary>
    public void Run(int entity, int first, int newStart, int end, int outputStart, KernelScratch scratch)
    {
        if (newStart == end) { return; }
        var passes = _layout.Passes;
        scratch.EnsureQueues(end - first, _layout.NeedsBySlot);
        long eventsBefore = _states.Events[entity];
        // Absolute event number n sits at arena position n − origin.
        long origin = _events.Base[entity] - first;
        for (int p = 0; p < passes.Length; p++)
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
            left = pass.Fast
                ? RunFast(pass, ref st, scratch, left, newStart, end, outputStart)
                : RunGeneral(pass, ref st, scratch, first, left, newStart, end, outputStart, 0);
            st.Left = left + origin;
            if ((pass.Needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0) { SaveDeques(pass, ref st, scratch, entity, p, left); }
        }
        _states.Events[entity] = eventsBefore + (end - newStart);
    }

    /// <summary>
    /// Restores what a bounded window keeps outside its state: the newest value's position and the min/max deques,
    /// from their saved copies or, when a deque was too long to save, by replaying the window's retained events
    /// [<paramref name="left"/>, <paramref name="newStart"/>).
    /// </summary>
    private void RestoreWindow(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int entity, int p, int left, int newStart)
    {
        int s = pass.Slot;
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        st.FirstValid = left;
        st.LastValid = -1;
        for (int i = newStart - 1; i >= left; i--)
        {
            if (valid[i]) { st.LastValid = i; break; }
        }
        var needs = pass.Needs;
        var replay = SlotNeeds.None;
        if ((needs & SlotNeeds.Min) != 0) { replay |= Restore(_states.SavedDeque(entity, p, false), st.MinSaved, scratch.MinQueues[s], left, out st.MinHead, out st.MinTail) ? SlotNeeds.None : SlotNeeds.Min; }
        if ((needs & SlotNeeds.Max) != 0) { replay |= Restore(_states.SavedDeque(entity, p, true), st.MaxSaved, scratch.MaxQueues[s], left, out st.MaxHead, out st.MaxTail) ? SlotNeeds.None : SlotNeeds.Max; }
        if (replay == SlotNeeds.None) { return; }
        for (int i = left; i < newStart; i++)
        {
            if (!valid[i]) { continue; }
            if (pass.IsFloat)
            {
                double d = BitConverter.Int64BitsToDouble(values[i]);
                if (!double.IsNaN(d)) { PushDouble(ref st, scratch, s, i, d, replay); }
            }
            else
            {
                PushLong(ref st, scratch, s, i, values[i], replay);
            }
        }
    }

    private static bool Restore(ReadOnlySpan<int> saved, int count, int[] queue, int left, out int head, out int tail)
    {
        head = tail = 0;
        if (count < 0) { return false; }
        for (int i = 0; i < count; i++) { queue[i] = left + saved[i]; }
        tail = count;
        return true;
    }

    private void SaveDeques(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int entity, int p, int left)
    {
        if ((pass.Needs & SlotNeeds.Min) != 0) { st.MinSaved = Save(_states.SavedDeque(entity, p, false), scratch.MinQueues[pass.Slot], st.MinHead, st.MinTail, left); }
        if ((pass.Needs & SlotNeeds.Max) != 0) { st.MaxSaved = Save(_states.SavedDeque(entity, p, true), scratch.MaxQueues[pass.Slot], st.MaxHead, st.MaxTail, left); }
    }

    private static int Save(Span<int> saved, int[] queue, int head, int tail, int left)
    {
        int count = tail - head;
        if (count > saved.Length) { return -1; }
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
            st.LastValid = -1;
            var valid = _events.Valid[s];
            for (int i = newStart - 1; i >= first; i--)
            {
                if (valid[i]) { st.LastValid = i; break; }
            }
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
            int row = _positions is null ? outputStart + (k - newStart) : _positions[outputStart + (k - newStart)];
            foreach (int o in pass.Outputs) { Emit(_outputs[o], pass, ref st, scratch, events, left, right, row, runEnd - k); }
            k = runEnd;
        }
        return left;
    }

    /// <summary>
    /// The common pass: count, sum, mean, min and max of one slot (or events alone) over a bounded window, with every
    /// aggregator in locals. Same arithmetic as the general pass (exact sums, NaN and infinities counted apart,
    /// newest-wins deques), so either pass gives identical values.
    /// </summary>
    private int RunFast(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int left, int newStart, int end, int rowBase)
    {
        var time = _events.Time;
        int s = pass.Slot;
        bool hasSlot = s >= 0;
        var values = hasSlot ? _events.Bits[s] : [];
        var present = hasSlot ? _events.Valid[s] : [];
        var needs = pass.Needs;
        bool isFloat = pass.IsFloat;
        long length = pass.Length;
        bool wantSum = (needs & SlotNeeds.Sum) != 0;
        bool wantMin = (needs & SlotNeeds.Min) != 0;
        bool wantMax = (needs & SlotNeeds.Max) != 0;
        var sum = wantSum && isFloat ? st.Sum ??= new ExactSum() : null;
        var minQ = hasSlot ? scratch.MinQueues[s] : [];
        var maxQ = hasSlot ? scratch.MaxQueues[s] : [];
        int minHead = st.MinHead, minTail = st.MinTail, maxHead = st.MaxHead, maxTail = st.MaxTail;
        long count = st.Count;
        Int128 intSum = st.IntSum;
        int nan = st.NaN, posInf = st.PosInf, negInf = st.NegInf;
        int right = newStart;
        var outputs = pass.Outputs;
        for (int k = newStart; k < end;)
        {
            long t = time[k];
            int runEnd = k + 1;
            while (runEnd < end && time[runEnd] == t) { runEnd++; }
            if (hasSlot)
            {
                for (; right < runEnd; right++)
                {
                    if (!present[right]) { continue; }
                    long bits = values[right];
                    count++;
                    if (isFloat)
                    {
                        double d = BitConverter.Int64BitsToDouble(bits);
                        if (double.IsFinite(d)) { if (wantSum) { sum!.Add(d); } }
                        else if (double.IsNaN(d)) { nan++; continue; }
                        else if (d > 0) { posInf++; }
                        else { negInf++; }
                        if (wantMax)
                        {
                            while (maxTail > maxHead && BitConverter.Int64BitsToDouble(values[maxQ[maxTail - 1]]) <= d) { maxTail--; }
                            maxQ[maxTail++] = right;
                        }
                        if (wantMin)
                        {
                            while (minTail > minHead && BitConverter.Int64BitsToDouble(values[minQ[minTail - 1]]) >= d) { minTail--; }
                            minQ[minTail++] = right;
                        }
                    }
                    else
                    {
                        intSum += bits;
                        if (wantMax)
                        {
                            while (maxTail > maxHead && values[maxQ[maxTail - 1]] <= bits) { maxTail--; }
                            maxQ[maxTail++] = right;
                        }
                        if (wantMin)
                        {
                            while (minTail > minHead && values[minQ[minTail - 1]] >= bits) { minTail--; }
                            minQ[minTail++] = right;
                        }
                    }
                }
            }
            else
            {
                right = runEnd;
            }
            long limit = Before(t, length);
            if (time[left] <= limit)
            {
                int newLeft = left;
                for (; time[newLeft] <= limit; newLeft++)
                {
                    if (!hasSlot || !present[newLeft]) { continue; }
                    long bits = values[newLeft];
                    count--;
                    if (!isFloat) { intSum -= bits; continue; }
                    double d = BitConverter.Int64BitsToDouble(bits);
                    if (double.IsFinite(d)) { if (wantSum) { sum!.Remove(d); } }
                    else if (double.IsNaN(d)) { nan--; }
                    else if (d > 0) { posInf--; }
                    else { negInf--; }
                }
                left = newLeft;
                while (maxHead < maxTail && maxQ[maxHead] < left) { maxHead++; }
                while (minHead < minTail && minQ[minHead] < left) { minHead++; }
            }

            // Read each aggregate once for the run.
            double total = 0;
            if (wantSum && count > 0)
            {
                if (!isFloat) { total = (double)intSum; }
                else if (nan > 0 || (posInf > 0 && negInf > 0)) { total = double.NaN; }
                else if (posInf > 0) { total = double.PositiveInfinity; }
                else if (negInf > 0) { total = double.NegativeInfinity; }
                else { total = sum!.Value; }
            }
            int row = _positions is null ? rowBase + (k - newStart) : _positions[rowBase + (k - newStart)];
            int rows = runEnd - k;
            foreach (int index in outputs)
            {
                var o = _outputs[index];
                var spec = o.Spec;
                if (spec.Slot < 0)
                {
                    Write(o, row, rows, runEnd - left, 0, true);
                    continue;
                }
                switch (spec.Kind)
                {
                    case AggregationKind.Count:
                        Write(o, row, rows, count, 0, true);
                        break;
                    case AggregationKind.Sum:
                        if (isFloat) { Write(o, row, rows, 0, total, count > 0); }
                        else { Write(o, row, rows, count > 0 ? checked((long)intSum) : 0, 0, count > 0); }
                        break;
                    case AggregationKind.Mean:
                        Write(o, row, rows, 0, count > 0 ? total / count : 0, count > 0);
                        break;
                    default:
                        {
                            bool isMin = spec.Kind == AggregationKind.Min;
                            bool has = isMin ? minHead < minTail : maxHead < maxTail;
                            long bits = has ? values[isMin ? minQ[minHead] : maxQ[maxHead]] : 0;
                            if (isFloat) { Write(o, row, rows, 0, nan > 0 || !has ? double.NaN : BitConverter.Int64BitsToDouble(bits), count > 0); }
                            else { Write(o, row, rows, bits, 0, count > 0); }
                            break;
                        }
                }
            }
            k = runEnd;
        }
        st.Count = count;
        st.MinHead = minHead;
        st.MinTail = minTail;
        st.MaxHead = maxHead;
        st.MaxTail = maxTail;
        st.IntSum = intSum;
        st.NaN = nan;
        st.PosInf = posInf;
        st.NegInf = negInf;
        return left;
    }

    private static long Before(long t, long length) => t >= long.MinValue + length ? t - length : long.MinValue;

    private void Add(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int i)
    {
        int s = pass.Slot;
        if (!_events.Valid[s][i]) { return; }
        long bits = _events.Bits[s][i];
        var needs = pass.Needs;
        bool unbounded = pass.Unbounded;
        st.Count++;
        st.LastValid = i;
        if (unbounded && !st.HasFirst)
        {
            st.HasFirst = true;
            st.FirstBits = bits;
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
                else { PushDouble(ref st, scratch, s, i, d, needs); }
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
            else { PushLong(ref st, scratch, s, i, bits, needs); }
        }
        if ((needs & SlotNeeds.Distinct) != 0) { AddDistinct(ref st, bits, unbounded); }
    }

    private void Evict(WindowPass pass, ref AggregatorState st, KernelScratch scratch, int from, int to)
    {
        int s = pass.Slot;
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        var needs = pass.Needs;
        bool isFloat = pass.IsFloat;
        bool wantSquares = (needs & SlotNeeds.SumOfSquares) != 0;
        for (int i = from; i < to; i++)
        {
            if (!valid[i]) { continue; }
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
                if ((needs & SlotNeeds.Distinct) != 0) { RemoveDistinct(st.Distinct!, CanonicalBits(d)); }
                continue;
            }
            st.IntSum -= bits;
            if (wantSquares)
            {
                double d = bits;
                st.Sum!.Remove(d);
                AddSquare(ref st, d, false);
            }
            if ((needs & SlotNeeds.Distinct) != 0) { RemoveDistinct(st.Distinct!, bits); }
        }
        if ((needs & SlotNeeds.Min) != 0)
        {
            var q = scratch.MinQueues[s];
            while (st.MinHead < st.MinTail && q[st.MinHead] < to) { st.MinHead++; }
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            var q = scratch.MaxQueues[s];
            while (st.MaxHead < st.MaxTail && q[st.MaxHead] < to) { st.MaxHead++; }
        }
    }

    // Equal values are dominated too: the newer one lives at least as long (so ±0 ties resolve to the newest).
    private void PushDouble(ref AggregatorState st, KernelScratch scratch, int s, int i, double d, SlotNeeds needs)
    {
        var values = _events.Bits[s];
        if ((needs & SlotNeeds.Min) != 0)
        {
            var q = scratch.MinQueues[s];
            while (st.MinTail > st.MinHead && BitConverter.Int64BitsToDouble(values[q[st.MinTail - 1]]) >= d) { st.MinTail--; }
            q[st.MinTail++] = i;
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            var q = scratch.MaxQueues[s];
            while (st.MaxTail > st.MaxHead && BitConverter.Int64BitsToDouble(values[q[st.MaxTail - 1]]) <= d) { st.MaxTail--; }
            q[st.MaxTail++] = i;
        }
    }

    private void PushLong(ref AggregatorState st, KernelScratch scratch, int s, int i, long v, SlotNeeds needs)
    {
        var values = _events.Bits[s];
        if ((needs & SlotNeeds.Min) != 0)
        {
            var q = scratch.MinQueues[s];
            while (st.MinTail > st.MinHead && values[q[st.MinTail - 1]] >= v) { st.MinTail--; }
            q[st.MinTail++] = i;
        }
        if ((needs & SlotNeeds.Max) != 0)
        {
            var q = scratch.MaxQueues[s];
            while (st.MaxTail > st.MaxHead && values[q[st.MaxTail - 1]] <= v) { st.MaxTail--; }
            q[st.MaxTail++] = i;
        }
    }

    private static void TrackDoubleExtremes(ref AggregatorState st, long bits, double d, SlotNeeds needs)
    {
        if ((needs & SlotNeeds.Min) != 0 && (!st.HasMin || d <= BitConverter.Int64BitsToDouble(st.MinBits))) { st.MinBits = bits; st.HasMin = true; }
        if ((needs & SlotNeeds.Max) != 0 && (!st.HasMax || d >= BitConverter.Int64BitsToDouble(st.MaxBits))) { st.MaxBits = bits; st.HasMax = true; }
    }

    private static void TrackLongExtremes(ref AggregatorState st, long v, SlotNeeds needs)
    {
        if ((needs & SlotNeeds.Min) != 0 && (!st.HasMin || v <= st.MinBits)) { st.MinBits = v; st.HasMin = true; }
        if ((needs & SlotNeeds.Max) != 0 && (!st.HasMax || v >= st.MaxBits)) { st.MaxBits = v; st.HasMax = true; }
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
            (st.Seen ??= []).Add(key);
            return;
        }
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(st.Distinct ??= [], key, out _);
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
                lv = unbounded ? st.Seen?.Count ?? 0 : st.Distinct?.Count ?? 0;
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
                        has = isMin ? st.HasMin : st.HasMax;
                        bits = isMin ? st.MinBits : st.MaxBits;
                    }
                    else
                    {
                        has = isMin ? st.MinHead < st.MinTail : st.MaxHead < st.MaxTail;
                        bits = !has ? 0 : values[isMin ? scratch.MinQueues[s][st.MinHead] : scratch.MaxQueues[s][st.MaxHead]];
                    }
                    if (isFloat) { dv = st.NaN > 0 || !has ? double.NaN : BitConverter.Int64BitsToDouble(bits); }
                    else { lv = bits; }
                    break;
                }
            case AggregationKind.First:
                if (n == 0) { valid = false; }
                else if (unbounded) { lv = st.FirstBits; }
                else
                {
                    var present = _events.Valid[s];
                    int fv = Math.Max(st.FirstValid, left);
                    while (!present[fv]) { fv++; }
                    st.FirstValid = fv;
                    lv = values[fv];
                }
                break;
            case AggregationKind.Last:
                if (n == 0) { valid = false; }
                else { lv = values[st.LastValid]; }
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
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        var last = scratch.LastValues.AsSpan(0, k);
        for (int i = right - 1, j = k - 1; j >= 0; i--)
        {
            if (valid[i]) { last[j--] = values[i]; }
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
