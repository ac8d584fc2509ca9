using Floe.Features.Definitions;
using Floe.Features.Expressions;
using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// Advances one entity's windows over its new events with incremental two-pointer aggregation: each event is added
/// once and evicted once per window, so a chunk costs O(events × windows) whatever the window lengths. Events with
/// the same timestamp form a run: the whole run is added before any value is read, so each sees all of them
/// (window (t - w, t] includes every event at t). Called by batch chunks and streaming emits alike.
/// </summary>
internal static class WindowKernel
{
    /// <summary>
    /// Processes the events at positions [<paramref name="from"/>, <paramref name="to"/>) of the sorted event arrays
    /// (one entity's events, sorted by time then arrival) and writes every aggregation feature's value for position
    /// k at position k of <paramref name="outputs"/> (sorted order: contiguous reads and writes; the caller permutes
    /// back to row order once).
    /// </summary>
    public static void Process(FeaturePlan plan, EntityState st, long[] time, long[][] slotBits, bool[]?[] slotValid, int from, int to, AggOutputBuffer[] outputs)
    {
        var windows = plan.Windows;
        int nw = windows.Length;
        int ns = plan.Slots.Length;
        Span<bool> isFloat = ns <= 32 ? stackalloc bool[32] : new bool[ns];
        for (int s = 0; s < ns; s++) { isFloat[s] = plan.Slots[s].Kind == ValueKind.Float64; }
        var pairs = st.Pairs;
        int i = from;
        while (i < to)
        {
            long t = time[i];
            int j = i + 1;
            while (j < to && time[j] == t) { j++; }

            // Add the run. The keep-from positions only matter when a buffer is full (they say what it may drop),
            // and nothing they depend on (window left edges, pair positions) moves while a run is added, so they
            // are computed only then.
            long runStart = st.Total;
            for (int r = i; r < j; r++)
            {
                long pos = st.Total;
                st.AppendTime(t, st.TCount == st.Times.Length ? KeepEventsFrom(st, windows) : 0);
                for (int s = 0; s < ns; s++)
                {
                    var valid = slotValid[s];
                    if (valid is not null && !valid[r]) { continue; }
                    long bits = slotBits[s][r];
                    var slot = st.Slots[s];
                    slot.Append(pos, bits, slot.VCount == slot.Pos.Length ? KeepValuesFrom(plan, st, s) : 0);
                    bool f = isFloat[s];
                    for (int w = 0; w < nw; w++)
                    {
                        var pair = pairs[s * nw + w];
                        if (pair is not null) { Add(pair, pos, bits, f); }
                    }
                }
            }
            st.LastTime = t;

            // Evict what fell out of each bounded window: time <= t - w.
            for (int w = 0; w < nw; w++)
            {
                long len = windows[w];
                if (len == long.MaxValue) { continue; }
                long limit = t >= long.MinValue + len ? t - len : long.MinValue;
                long left = st.Left[w];
                var times = st.Times;
                long tBase = st.TBase;
                while (times[left - tBase] <= limit) { left++; }
                if (left == st.Left[w]) { continue; }
                st.Left[w] = left;
                for (int s = 0; s < ns; s++)
                {
                    var pair = pairs[s * nw + w];
                    if (pair is null) { continue; }
                    var buffer = st.Slots[s];
                    bool f = isFloat[s];
                    long total = buffer.Total;
                    while (pair.P < total && buffer.Pos[pair.P - buffer.VBase] < left)
                    {
                        Remove(pair, buffer.Val[pair.P - buffer.VBase], f);
                        pair.P++;
                    }
                    pair.DMin?.EvictBefore(left);
                    pair.DMax?.EvictBefore(left);
                    pair.LMin?.EvictBefore(left);
                    pair.LMax?.EvictBefore(left);
                }
            }

            // Read each feature once for the run and write it to every row of the run.
            foreach (var o in outputs)
            {
                Emit(plan, st, o, i, j, runStart);
            }
            i = j;
        }
    }

    private static long KeepEventsFrom(EntityState st, long[] windows)
    {
        long keep = st.Total;
        for (int w = 0; w < windows.Length; w++)
        {
            if (windows[w] != long.MaxValue && st.Left[w] < keep) { keep = st.Left[w]; }
        }
        return keep;
    }

    private static long KeepValuesFrom(FeaturePlan plan, EntityState st, int s)
    {
        var buffer = st.Slots[s];
        long keep = buffer.Total - plan.MaxLastN[s];
        int nw = plan.Windows.Length;
        for (int w = 0; w < nw; w++)
        {
            var pair = st.Pairs[s * nw + w];
            if (pair is not null && plan.Windows[w] != long.MaxValue && pair.P < keep) { keep = pair.P; }
        }
        return keep;
    }

    private static void Add(SlotWindowState p, long pos, long bits, bool isFloat)
    {
        if (isFloat)
        {
            double d = BitConverter.Int64BitsToDouble(bits);
            if (double.IsNaN(d)) { p.NaN++; }
            else if (double.IsPositiveInfinity(d)) { p.PosInf++; }
            else if (double.IsNegativeInfinity(d)) { p.NegInf++; }
            else
            {
                p.Sum?.Add(d);
                if (p.SumSq is not null) { AddSquare(p, d, true); }
            }
            if (!double.IsNaN(d))
            {
                p.DMin?.Push(pos, d);
                p.DMax?.Push(pos, d);
            }
            if (p.Distinct is not null) { AddDistinct(p.Distinct, CanonicalBits(d)); }
            return;
        }
        p.IntSum += bits;
        if (p.Sum is not null)
        {
            double d = bits;
            p.Sum.Add(d);
            AddSquare(p, d, true);
        }
        p.LMin?.Push(pos, bits);
        p.LMax?.Push(pos, bits);
        if (p.Distinct is not null) { AddDistinct(p.Distinct, bits); }
    }

    private static void Remove(SlotWindowState p, long bits, bool isFloat)
    {
        if (isFloat)
        {
            double d = BitConverter.Int64BitsToDouble(bits);
            if (double.IsNaN(d)) { p.NaN--; }
            else if (double.IsPositiveInfinity(d)) { p.PosInf--; }
            else if (double.IsNegativeInfinity(d)) { p.NegInf--; }
            else
            {
                p.Sum?.Remove(d);
                if (p.SumSq is not null) { AddSquare(p, d, false); }
            }
            if (p.Distinct is not null) { RemoveDistinct(p.Distinct, CanonicalBits(d)); }
            return;
        }
        p.IntSum -= bits;
        if (p.Sum is not null)
        {
            double d = bits;
            p.Sum.Remove(d);
            AddSquare(p, d, false);
        }
        if (p.Distinct is not null) { RemoveDistinct(p.Distinct, bits); }
    }

    // x² = hi + lo exactly (two-product via FMA), so the sum of squares stays exact too.
    private static void AddSquare(SlotWindowState p, double d, bool add)
    {
        double hi = d * d;
        if (!double.IsFinite(hi))
        {
            p.SquareOverflow += add ? 1 : -1;
            return;
        }
        double lo = Math.FusedMultiplyAdd(d, d, -hi);
        if (add) { p.SumSq!.Add(hi); p.SumSq.Add(lo); }
        else { p.SumSq!.Remove(hi); p.SumSq.Remove(lo); }
    }

    private static long CanonicalBits(double d) =>
        d == 0.0 ? 0L : double.IsNaN(d) ? BitConverter.DoubleToInt64Bits(double.NaN) : BitConverter.DoubleToInt64Bits(d);

    private static void AddDistinct(Dictionary<long, int> counts, long key)
    {
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        c++;
    }

    private static void RemoveDistinct(Dictionary<long, int> counts, long key)
    {
        ref int c = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(counts, key);
        if (--c == 0) { counts.Remove(key); }
    }

    private static void Emit(FeaturePlan plan, EntityState st, AggOutputBuffer o, int from, int to, long run)
    {
        var spec = o.Spec;
        int w = spec.Window;
        bool unbounded = plan.Windows[w] == long.MaxValue;
        if (spec.Slot < 0)
        {
            // count of events
            long count = st.Total - (unbounded ? 0 : st.Left[w]);
            if (to - from == 1)
            {
                o.L![from] = count;
                o.Valid[from] = true;
                return;
            }
            o.L.AsSpan(from, to - from).Fill(count);
            o.Valid.AsSpan(from, to - from).Fill(true);
            return;
        }
        var buffer = st.Slots[spec.Slot];
        var pair = st.Pairs[spec.Slot * plan.Windows.Length + w]!;
        long n = buffer.Total - pair.P;
        bool isFloat = plan.Slots[spec.Slot].Kind == ValueKind.Float64;
        bool valid = true;
        long lv = 0;
        double dv = 0;
        switch (spec.Kind)
        {
            case AggregationKind.Count:
                lv = n;
                break;
            case AggregationKind.CountDistinct:
                lv = pair.Distinct!.Count;
                break;
            case AggregationKind.Sum:
                if (n == 0) { valid = false; }
                else if (isFloat) { dv = FloatSum(pair, run); }
                else { lv = checked((long)pair.IntSum); }
                break;
            case AggregationKind.Mean:
                if (n == 0) { valid = false; }
                else if (isFloat) { dv = FloatSum(pair, run) / n; }
                else { dv = (double)pair.IntSum / n; }
                break;
            case AggregationKind.Variance:
            case AggregationKind.Stddev:
                if (n < 2) { valid = false; }
                else
                {
                    dv = pair.NaN + pair.PosInf + pair.NegInf + pair.SquareOverflow > 0 ? double.NaN : Variance(pair, n);
                    if (spec.Kind == AggregationKind.Stddev) { dv = Math.Sqrt(dv); }
                }
                break;
            case AggregationKind.Min:
            case AggregationKind.Max:
                if (n == 0) { valid = false; }
                else if (isFloat)
                {
                    var dq = spec.Kind == AggregationKind.Min ? pair.DMin! : pair.DMax!;
                    dv = pair.NaN > 0 || dq.IsEmpty ? double.NaN : dq.Front;
                }
                else { lv = (spec.Kind == AggregationKind.Min ? pair.LMin! : pair.LMax!).Front; }
                break;
            case AggregationKind.First:
                if (n == 0) { valid = false; }
                else { lv = unbounded ? buffer.FirstVal : buffer.Val[pair.P - buffer.VBase]; }
                break;
            case AggregationKind.Last:
                if (n == 0) { valid = false; }
                else { lv = buffer.Val[buffer.VCount - 1]; }
                break;
            case AggregationKind.LastN:
                {
                    int k = (int)Math.Min(n, spec.N);
                    if (k == 0)
                    {
                        o.Valid.AsSpan(from, to - from).Clear();
                        o.ListLength.AsSpan(from, to - from).Clear();
                        return;
                    }
                    var src = buffer.Val.AsSpan(buffer.VCount - k, k);
                    for (int row = from; row < to; row++)
                    {
                        o.Valid[row] = true;
                        o.ListLength![row] = k;
                        if (o.D is not null)
                        {
                            System.Runtime.InteropServices.MemoryMarshal.Cast<long, double>(src).CopyTo(o.D.AsSpan(row * o.Stride, k));
                        }
                        else
                        {
                            src.CopyTo(o.L.AsSpan(row * o.Stride, k));
                        }
                    }
                    return;
                }
        }
        if (o.D is { } d)
        {
            // first/last/min/max of a double slot read raw bits.
            if (spec.Kind is AggregationKind.First or AggregationKind.Last) { dv = BitConverter.Int64BitsToDouble(lv); }
            if (to - from == 1) { d[from] = dv; }
            else { d.AsSpan(from, to - from).Fill(dv); }
        }
        else if (to - from == 1) { o.L![from] = lv; }
        else { o.L.AsSpan(from, to - from).Fill(lv); }
        // Runs are usually one event long: a plain store beats a span fill.
        if (to - from == 1) { o.Valid[from] = valid; }
        else { o.Valid.AsSpan(from, to - from).Fill(valid); }
    }

    // sum and mean of one (slot, window) read the exact sum once per run.
    private static double FloatSum(SlotWindowState p, long run)
    {
        if (p.NaN > 0 || (p.PosInf > 0 && p.NegInf > 0)) { return double.NaN; }
        if (p.PosInf > 0) { return double.PositiveInfinity; }
        if (p.NegInf > 0) { return double.NegativeInfinity; }
        if (p.CachedRun != run)
        {
            p.CachedSum = p.Sum!.Value;
            p.CachedRun = run;
        }
        return p.CachedSum;
    }

    /// <summary>
    /// Sample variance from the exact sums S1 = Σx and S2 = Σx², as (n·S2 − S1²) / (n(n − 1)) evaluated in
    /// double-double arithmetic, so the result is a function of the window's contents only.
    /// </summary>
    private static double Variance(SlotWindowState p, long n)
    {
        var (s1h, s1l) = DoubleDouble(p.Sum!);
        var (s2h, s2l) = DoubleDouble(p.SumSq!);
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
