using System.Runtime.CompilerServices;
using Floe.Features.Definitions;
using Floe.Features.Expressions;
using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// Evaluates every aggregation of one chunk, one entity at a time, over the entity's retained events followed by its
/// new ones (both in one flat <see cref="EntityEvents"/> buffer). Each window is a two-pointer pass: an event is added
/// once and evicted once, so a chunk costs O(events × windows) whatever the window lengths. Bounded windows start
/// from empty scratch state at the oldest retained event inside the window, so no per-entity aggregator survives a
/// chunk; unbounded windows continue the entity's lifetime state. Events with the same timestamp form a run: the
/// whole run is added before any value is read, so each sees all of them (window (t − w, t] includes every event at
/// t). Batch chunks and streaming emits run the same code, which is why they agree bit for bit.
/// </summary>
internal sealed class WindowKernel
{
    private readonly KernelLayout _layout;
    private readonly EntityEvents _events;
    private readonly AggOutputBuffer[] _outputs;
    private readonly LifetimeStates _lifetime;

    public WindowKernel(KernelLayout layout, EntityEvents events, AggOutputBuffer[] outputs, LifetimeStates lifetime)
    {
        _layout = layout;
        _events = events;
        _outputs = outputs;
        _lifetime = lifetime;
    }

    /// <summary>Computes every aggregation for the new events of group <paramref name="g"/> of the merged events.</summary>
    public void Run(int g, KernelScratch scratch)
    {
        var m = _events;
        int first = m.Starts[g], newStart = m.NewStarts[g], end = m.Starts[g + 1];
        if (newStart == end) { return; }
        int entity = m.Entities[g];
        var layout = _layout;
        var windows = layout.Windows;
        var time = m.Time;
        scratch.EnsureQueues(end - first, layout.NeedsBySlot);
        foreach (var pass in layout.Passes)
        {
            int w = pass.Window;
            var slots = pass.Slots;
            var outputs = pass.Outputs;
            long length = windows[w];
            bool unbounded = length == long.MaxValue;
            int left = first;
            if (!unbounded)
            {
                long limit = Before(time[newStart], length);
                while (left < newStart && time[left] <= limit) { left++; }
                if (pass.Fast)
                {
                    RunFast(pass, scratch, length, left, newStart, end, m.OutputStarts[g]);
                    continue;
                }
            }
            Span<AggregatorState> states = unbounded ? _lifetime.SlotsOf(entity) : scratch.States;
            int right;
            if (unbounded)
            {
                right = newStart;
                foreach (int s in slots) { states[s].LastValid = LastValidBefore(s, newStart, first); }
            }
            else
            {
                right = left;
                foreach (int s in slots) { Reset(ref states[s], scratch, s, w, left); }
            }
            long eventsBefore = unbounded ? _lifetime.Events[entity] : 0;
            for (int k = newStart; k < end;)
            {
                long t = time[k];
                int runEnd = k + 1;
                while (runEnd < end && time[runEnd] == t) { runEnd++; }
                for (; right < runEnd; right++)
                {
                    foreach (int s in slots) { Add(ref states[s], scratch, s, w, right, unbounded); }
                }
                if (!unbounded)
                {
                    long limit = Before(t, length);
                    if (time[left] <= limit)
                    {
                        // time[k] = t > limit, so the scan stops inside the window.
                        int newLeft = left + 1;
                        while (time[newLeft] <= limit) { newLeft++; }
                        foreach (int s in slots) { Evict(ref states[s], scratch, s, w, left, newLeft); }
                        left = newLeft;
                    }
                }
                long events = unbounded ? eventsBefore + (runEnd - newStart) : runEnd - left;
                int row = m.OutputStarts[g] + (k - newStart);
                foreach (int o in outputs) { Emit(_outputs[o], states, scratch, unbounded, events, left, right, row, runEnd - k); }
                k = runEnd;
            }
            if (!unbounded)
            {
                foreach (int s in slots)
                {
                    if ((layout.Needs[s * windows.Length + w] & SlotNeeds.Distinct) != 0) { ForgetDistinct(scratch.Distinct[s], s, left, right); }
                }
            }
        }
        if (_lifetime.Events.Length > 0) { _lifetime.Events[entity] += end - newStart; }
    }

    /// <summary>
    /// The common pass: count, sum, mean, min and max of one slot (or events alone) over a bounded window, with every
    /// aggregator in locals. Same arithmetic as the general pass (exact sums, NaN and infinities counted apart,
    /// newest-wins deques), so either pass gives identical values.
    /// </summary>
    private void RunFast(WindowPass pass, KernelScratch scratch, long length, int left, int newStart, int end, int rowBase)
    {
        var time = _events.Time;
        int s = pass.Slot;
        bool hasSlot = s >= 0;
        var values = hasSlot ? _events.Bits[s] : [];
        var present = hasSlot ? _events.Valid[s] : [];
        var needs = hasSlot ? _layout.Needs[s * _layout.Windows.Length + pass.Window] : SlotNeeds.None;
        bool isFloat = hasSlot && _layout.IsFloat[s];
        bool wantSum = (needs & SlotNeeds.Sum) != 0;
        bool wantMin = (needs & SlotNeeds.Min) != 0;
        bool wantMax = (needs & SlotNeeds.Max) != 0;
        var sum = hasSlot ? scratch.Sums[s] : null;
        if (wantSum && isFloat) { sum!.Clear(); }
        var minQ = hasSlot ? scratch.MinQueues[s] : [];
        var maxQ = hasSlot ? scratch.MaxQueues[s] : [];
        int minHead = 0, minTail = 0, maxHead = 0, maxTail = 0;
        long count = 0;
        Int128 intSum = 0;
        int nan = 0, posInf = 0, negInf = 0;
        int right = left;
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
            int row = rowBase + (k - newStart);
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
    }

    private static long Before(long t, long length) => t >= long.MinValue + length ? t - length : long.MinValue;

    private int LastValidBefore(int s, int newStart, int first)
    {
        var valid = _events.Valid[s];
        int i = newStart - 1;
        while (i >= first && !valid[i]) { i--; }
        return i;
    }

    private void Reset(ref AggregatorState st, KernelScratch scratch, int s, int w, int left)
    {
        var needs = _layout.Needs[s * _layout.Windows.Length + w];
        bool isFloat = _layout.IsFloat[s];
        st = default;
        st.FirstValid = left;
        st.LastValid = -1;
        if ((needs & SlotNeeds.Sum) != 0 && (isFloat || (needs & SlotNeeds.SumOfSquares) != 0))
        {
            st.Sum = scratch.Sums[s];
            st.Sum.Clear();
        }
        if ((needs & SlotNeeds.SumOfSquares) != 0)
        {
            st.SumSq = scratch.SumSquares[s];
            st.SumSq.Clear();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Add(ref AggregatorState st, KernelScratch scratch, int s, int w, int i, bool unbounded)
    {
        if (!_events.Valid[s][i]) { return; }
        long bits = _events.Bits[s][i];
        var needs = _layout.Needs[s * _layout.Windows.Length + w];
        st.Count++;
        st.LastValid = i;
        if (unbounded && !st.HasFirst)
        {
            st.HasFirst = true;
            st.FirstBits = bits;
        }
        if (_layout.IsFloat[s])
        {
            double d = BitConverter.Int64BitsToDouble(bits);
            if (double.IsNaN(d)) { st.NaN++; }
            else if (double.IsPositiveInfinity(d)) { st.PosInf++; }
            else if (double.IsNegativeInfinity(d)) { st.NegInf++; }
            else
            {
                st.Sum?.Add(d);
                if (st.SumSq is not null) { AddSquare(ref st, d, true); }
            }
            if (!double.IsNaN(d) && (needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0)
            {
                if (unbounded) { TrackDoubleExtremes(ref st, bits, d, needs); }
                else { PushDouble(ref st, scratch, s, i, d, needs); }
            }
            if ((needs & SlotNeeds.Distinct) != 0) { AddDistinct(ref st, scratch.Distinct[s], CanonicalBits(d), unbounded); }
            return;
        }
        st.IntSum += bits;
        if (st.Sum is not null)
        {
            double d = bits;
            st.Sum.Add(d);
            AddSquare(ref st, d, true);
        }
        if ((needs & (SlotNeeds.Min | SlotNeeds.Max)) != 0)
        {
            if (unbounded) { TrackLongExtremes(ref st, bits, needs); }
            else { PushLong(ref st, scratch, s, i, bits, needs); }
        }
        if ((needs & SlotNeeds.Distinct) != 0) { AddDistinct(ref st, scratch.Distinct[s], bits, unbounded); }
    }

    private void Evict(ref AggregatorState st, KernelScratch scratch, int s, int w, int from, int to)
    {
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        var needs = _layout.Needs[s * _layout.Windows.Length + w];
        bool isFloat = _layout.IsFloat[s];
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
                    if (st.SumSq is not null) { AddSquare(ref st, d, false); }
                }
                if ((needs & SlotNeeds.Distinct) != 0) { RemoveDistinct(scratch.Distinct[s], CanonicalBits(d)); }
                continue;
            }
            st.IntSum -= bits;
            if (st.Sum is not null)
            {
                double d = bits;
                st.Sum.Remove(d);
                AddSquare(ref st, d, false);
            }
            if ((needs & SlotNeeds.Distinct) != 0) { RemoveDistinct(scratch.Distinct[s], bits); }
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
        if (add) { st.SumSq!.Add(hi); st.SumSq.Add(lo); }
        else { st.SumSq!.Remove(hi); st.SumSq.Remove(lo); }
    }

    private static long CanonicalBits(double d) =>
        d == 0.0 ? 0L : double.IsNaN(d) ? BitConverter.DoubleToInt64Bits(double.NaN) : BitConverter.DoubleToInt64Bits(d);

    private static void AddDistinct(ref AggregatorState st, Dictionary<long, int> counts, long key, bool unbounded)
    {
        if (unbounded)
        {
            (st.Seen ??= []).Add(key);
            return;
        }
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        c++;
    }

    private static void RemoveDistinct(Dictionary<long, int> counts, long key)
    {
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(counts, key);
        if (--c == 0) { counts.Remove(key); }
    }

    // Leaves the scratch table empty for the next entity; removing the window's keys costs O(window), where Clear
    // would cost the table's largest-ever capacity for every entity.
    private void ForgetDistinct(Dictionary<long, int> counts, int s, int left, int right)
    {
        var valid = _events.Valid[s];
        var values = _events.Bits[s];
        bool isFloat = _layout.IsFloat[s];
        for (int i = left; i < right && counts.Count > 0; i++)
        {
            if (valid[i]) { counts.Remove(isFloat ? CanonicalBits(BitConverter.Int64BitsToDouble(values[i])) : values[i]); }
        }
    }

    private void Emit(AggOutputBuffer o, Span<AggregatorState> states, KernelScratch scratch, bool unbounded, long events, int left, int right, int row, int rows)
    {
        var spec = o.Spec;
        if (spec.Slot < 0)
        {
            Write(o, row, rows, events, 0, true);
            return;
        }
        int s = spec.Slot;
        ref var st = ref states[s];
        long n = st.Count;
        bool isFloat = _layout.IsFloat[s];
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
                lv = unbounded ? st.Seen?.Count ?? 0 : scratch.Distinct[s].Count;
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
        if (rows == 1)
        {
            if (o.D is { } d) { d[row] = dv; } else { o.L![row] = lv; }
            o.Valid[row] = valid;
            return;
        }
        if (o.D is { } dd) { dd.AsSpan(row, rows).Fill(dv); } else { o.L.AsSpan(row, rows).Fill(lv); }
        o.Valid.AsSpan(row, rows).Fill(valid);
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
