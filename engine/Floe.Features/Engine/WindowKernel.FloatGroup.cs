using System.Runtime.CompilerServices;

namespace Floe.Features.Engine;

internal sealed partial class WindowKernel
{
    /// <summary>
    /// <see cref="RunGroup"/> for the usual case of a double slot, run when it applies and returning false (having
    /// changed nothing) when it does not: every value in the longest window and among the new events is present and
    /// has a fixed-point term (no nulls, NaN, infinities or wide values, so every window's count is its number of
    /// events, its sum is a difference of running totals and its min/max deque front is its value), and each window
    /// writes at most one output of each kind. The new events' terms are summed once into a prefix array, so a window
    /// evicting new events subtracts two prefixes and only evictions of retained events convert their values again;
    /// then each window runs as its own tight loop (<see cref="RunFloatWindow"/>) rather than all windows per event,
    /// which kept a dozen pointers, heads and sums live at once and spilled them to the stack. Results and saved state
    /// are those <see cref="RunGroup"/> gives: the same exact sums, the same deque fronts, the same saved deques.
    /// </summary>
    private bool TryRunFloatGroup(WindowGroup group, WindowTargets[] targets, int entity, long origin, int newStart, int end, int rowBase, KernelScratch scratch)
    {
        var members = group.Passes;
        int m = members.Length;
        int last = m - 1;
        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            if ((st.NaN | st.PosInf | st.NegInf) != 0 || st.Sum is not null) { return false; }
        }
        int s = group.Slot;
        var values = _events.Bits[s];
        int leftLast = (int)(_states.Of(entity, members[last]).Left - origin);
        if (_events.NullsSeen[s] && _events.Valid[s].AsSpan(leftLast, end - leftLast).Contains(false)) { return false; }
        int added = end - newStart;
        // Running totals as (low, high) halves, interleaved: prefix[2i], prefix[2i + 1] is the sum of the first i terms.
        var prefix = scratch.Prefix(2 * (added + 1));
        ulong runLo = 0, runHi = 0;
        prefix[0] = 0;
        prefix[1] = 0;
        for (int i = 0; i < added; i++)
        {
            if (!FixedPoint.TryTerm(values[newStart + i], out var term)) { return false; }
            ulong tLo = (ulong)term;
            runLo += tLo;
            runHi += FixedPoint.Upper(term) + (runLo < tLo ? 1UL : 0UL);
            prefix[(2 * i) + 2] = runLo;
            prefix[(2 * i) + 3] = runHi;
        }
        var running = new Int128(runHi, runLo);

        var passes = _layout.Passes;
        bool wantMin = (group.Needs & SlotNeeds.Min) != 0;
        bool wantMax = (group.Needs & SlotNeeds.Max) != 0;
        int basePass = members[last];
        ref var baseState = ref _states.Of(entity, basePass);
        int minSaved = baseState.MinSaved, maxSaved = baseState.MaxSaved;
        // Window by window, the longest last (its deques are the ones saved): each pass is a tight loop over the new
        // events with its own left edge, sum and deques. A window's deque starts as the saved one of the longest
        // window cut at its own left edge, which is what its own deque would hold.
        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            int left = (int)(st.Left - origin);
            var w = new FastPass
            {
                Length = passes[members[j]].Length,
                Left = left,
                RetainedLo = (ulong)(-st.IntSum),
                RetainedHi = FixedPoint.Upper(-st.IntSum),
                Max = wantMax ? scratch.MaxQueues[s] : null,
                Min = wantMin ? scratch.MinQueues[s] : null,
            };
            if (wantMax) { w.MaxTail = RestoreDeque(entity, basePass, true, maxSaved, w.Max!, leftLast); }
            if (wantMin) { w.MinTail = RestoreDeque(entity, basePass, false, minSaved, w.Min!, leftLast); }
            RunFloatWindow(ref w, targets[j], values, prefix, newStart, end, rowBase);
            st.Left = w.Left + origin;
            st.Count = end - w.Left;
            var retained = new Int128(w.RetainedHi, w.RetainedLo);
            st.IntSum = running - (w.Left >= newStart ? retained + Prefix(prefix, w.Left - newStart) : retained);
            if (j == last)
            {
                if (wantMin) { baseState.MinSaved = SaveDeque(entity, basePass, false, w.Min!, w.MinHead, w.MinTail, w.Left); }
                if (wantMax) { baseState.MaxSaved = SaveDeque(entity, basePass, true, w.Max!, w.MaxHead, w.MaxTail, w.Left); }
            }
        }
        return true;
    }

    // One window's pass of TryRunFloatGroup. Retained (two 64-bit halves) is what the window has evicted of its retained
    // events (minus its sum before the chunk); once its left edge passes newStart, what it evicted of the new events is
    // a prefix. The loop keeps every 128-bit quantity as two ulong locals: the JIT kept Int128 locals on the stack,
    // and the sum's load, subtraction and conversion were then two fifths of the loop's time.
    private static Int128 Prefix(ulong[] prefix, int i) => new(prefix[(2 * i) + 1], prefix[2 * i]);

    private struct FastPass
    {
        public long Length;
        public int Left;
        public ulong RetainedLo;
        public ulong RetainedHi;
        public int[]? Max;
        public int MaxHead;
        public int MaxTail;
        public int[]? Min;
        public int MinHead;
        public int MinTail;
    }

    private void RunFloatWindow(ref FastPass w, WindowTargets tg, long[] values, ulong[] prefix, int newStart, int end, int rowBase)
    {
        var time = _events.Time;
        var positions = _positions;
        long length = w.Length;
        int l = w.Left;
        ulong retainedLo = w.RetainedLo, retainedHi = w.RetainedHi;
        var maxQ = w.Max;
        var minQ = w.Min;
        int maxHead = 0, maxTail = w.MaxTail, minHead = 0, minTail = w.MinTail;
        // Heads at the window's own left edge.
        if (maxQ is not null) { while (maxHead < maxTail && maxQ[maxHead] < l) { maxHead++; } }
        if (minQ is not null) { while (minHead < minTail && minQ[minHead] < l) { minHead++; } }
        var events = tg.Events;
        var counts = tg.Count;
        var sums = tg.Sum;
        var means = tg.Mean;
        var maxes = tg.Max;
        var mins = tg.Min;
        bool wantsTotal = tg.WantsTotal;
        for (int k = newStart; k < end;)
        {
            long t = time[k];
            int runEnd = k + 1;
            while (runEnd < end && time[runEnd] == t) { runEnd++; }
            for (int i = k; i < runEnd; i++)
            {
                // Equal values are dominated too, as in RunGroup (the newer lives at least as long).
                double d = BitConverter.Int64BitsToDouble(values[i]);
                if (maxQ is not null)
                {
                    while (maxTail > maxHead && BitConverter.Int64BitsToDouble(values[maxQ[maxTail - 1]]) <= d) { maxTail--; }
                    maxQ[maxTail++] = i;
                }
                if (minQ is not null)
                {
                    while (minTail > minHead && BitConverter.Int64BitsToDouble(values[minQ[minTail - 1]]) >= d) { minTail--; }
                    minQ[minTail++] = i;
                }
            }
            long limit = Before(t, length);
            if (time[l] <= limit)
            {
                // time[k] = t > limit, so the scan stops inside the window.
                for (; l < newStart && time[l] <= limit; l++)
                {
                    ulong termLo = FixedPoint.TermLow(values[l], out ulong termHi);
                    retainedLo += termLo;
                    retainedHi += termHi + (retainedLo < termLo ? 1UL : 0UL);
                }
                while (time[l] <= limit) { l++; }
                if (maxQ is not null) { while (maxQ[maxHead] < l) { maxHead++; } }
                if (minQ is not null) { while (minQ[minHead] < l) { minHead++; } }
            }
            int row = positions is null ? rowBase + (k - newStart) : positions[rowBase + (k - newStart)];
            int rows = runEnd - k;
            long count = runEnd - l;
            double sum = 0;
            if (wantsTotal)
            {
                // prefix[runEnd] − (retained + prefix[l]), where prefix[l] is 0 while l is in the retained events.
                int e = 2 * Math.Max(l - newStart, 0);
                int r = 2 * (runEnd - newStart);
                ulong el = retainedLo + prefix[e];
                ulong eh = retainedHi + prefix[e + 1] + (el < retainedLo ? 1UL : 0UL);
                ulong tl = prefix[r];
                ulong lo = tl - el;
                ulong hi = prefix[r + 1] - eh - (tl < el ? 1UL : 0UL);
                sum = FixedPoint.Value(hi, lo);
            }
            double max = maxQ is not null ? BitConverter.Int64BitsToDouble(values[maxQ[maxHead]]) : 0;
            double min = minQ is not null ? BitConverter.Int64BitsToDouble(values[minQ[minHead]]) : 0;
            if (rows == 1)
            {
                if (events is not null) { events[row] = count; }
                if (counts is not null) { counts[row] = count; }
                if (sums is not null) { sums[row] = sum; }
                if (means is not null) { means[row] = sum / count; }
                if (maxes is not null) { maxes[row] = max; }
                if (mins is not null) { mins[row] = min; }
            }
            else
            {
                WriteRun(tg, row, rows, count, sum, max, min);
            }
            k = runEnd;
        }
        w.Left = l;
        w.RetainedLo = retainedLo;
        w.RetainedHi = retainedHi;
        w.MaxHead = maxHead;
        w.MaxTail = maxTail;
        w.MinHead = minHead;
        w.MinTail = minTail;
    }

    // A run of events with one timestamp: every row of it gets the values of the whole run.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteRun(WindowTargets tg, int row, int rows, long count, double sum, double max, double min)
    {
        tg.Events?.AsSpan(row, rows).Fill(count);
        tg.Count?.AsSpan(row, rows).Fill(count);
        tg.Sum?.AsSpan(row, rows).Fill(sum);
        tg.Mean?.AsSpan(row, rows).Fill(sum / count);
        tg.Max?.AsSpan(row, rows).Fill(max);
        tg.Min?.AsSpan(row, rows).Fill(min);
    }
}
