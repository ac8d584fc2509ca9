using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Floe.Features.Engine;

internal sealed partial class WindowKernel
{
    // One window of a float group on the fast path: its left edge, its deque heads, its length, and the sum of the
    // terms it has evicted minus its sum before the chunk (so its sum is the chunk's running total minus this).
    [StructLayout(LayoutKind.Sequential)]
    private struct FastWindow
    {
        public Int128 Evicted;
        public long Length;
        public int Left;
        public int MaxHead;
        public int MinHead;
    }

    /// <summary>
    /// <see cref="RunGroup"/> for the usual case of a double slot, run when it applies and returning false (having
    /// changed nothing) when it does not: every value in the longest window and among the new events is present and
    /// has a fixed-point term (no nulls, NaN, infinities or wide values, so every window's count is its number of
    /// events, its sum is a difference of running totals and its min/max deque front is its value), and each window
    /// writes at most one output of each kind. The new events' terms are summed once into a prefix array, so a window
    /// evicting new events subtracts two prefixes and only evictions of retained events convert their values again.
    /// Results and saved state are those <see cref="RunGroup"/> gives: the same exact sums, the same deques.
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
        var prefix = scratch.Prefix(added + 1);
        Int128 running = 0;
        prefix[0] = 0;
        for (int i = 0; i < added; i++)
        {
            if (!FixedPoint.TryTerm(values[newStart + i], out var term)) { return false; }
            running += term;
            prefix[i + 1] = running;
        }

        var passes = _layout.Passes;
        var time = _events.Time;
        bool wantMin = (group.Needs & SlotNeeds.Min) != 0;
        bool wantMax = (group.Needs & SlotNeeds.Max) != 0;
        var minQ = wantMin ? scratch.MinQueues[s] : [];
        var maxQ = wantMax ? scratch.MaxQueues[s] : [];
        Span<FastWindow> windows = stackalloc FastWindow[m];
        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            ref var w = ref windows[j];
            w.Left = (int)(st.Left - origin);
            w.Length = passes[members[j]].Length;
            w.Evicted = -st.IntSum;
        }
        int basePass = members[last];
        int minTail = 0, maxTail = 0;
        if (wantMin)
        {
            minTail = RestoreDeque(entity, basePass, false, _states.Of(entity, basePass).MinSaved, minQ, leftLast);
            for (int j = 0; j < m; j++)
            {
                int h = 0;
                while (h < minTail && minQ[h] < windows[j].Left) { h++; }
                windows[j].MinHead = h;
            }
        }
        if (wantMax)
        {
            maxTail = RestoreDeque(entity, basePass, true, _states.Of(entity, basePass).MaxSaved, maxQ, leftLast);
            for (int j = 0; j < m; j++)
            {
                int h = 0;
                while (h < maxTail && maxQ[h] < windows[j].Left) { h++; }
                windows[j].MaxHead = h;
            }
        }

        var positions = _positions;
        for (int k = newStart; k < end;)
        {
            long t = time[k];
            int runEnd = k + 1;
            while (runEnd < end && time[runEnd] == t) { runEnd++; }
            for (int i = k; i < runEnd; i++)
            {
                // Equal values are dominated too, as in RunGroup (the newer lives at least as long).
                double d = BitConverter.Int64BitsToDouble(values[i]);
                if (wantMax)
                {
                    int floor = windows[last].MaxHead;
                    while (maxTail > floor && BitConverter.Int64BitsToDouble(values[maxQ[maxTail - 1]]) <= d) { maxTail--; }
                    for (int j = 0; j < last; j++) { if (windows[j].MaxHead > maxTail) { windows[j].MaxHead = maxTail; } }
                    maxQ[maxTail++] = i;
                }
                if (wantMin)
                {
                    int floor = windows[last].MinHead;
                    while (minTail > floor && BitConverter.Int64BitsToDouble(values[minQ[minTail - 1]]) >= d) { minTail--; }
                    for (int j = 0; j < last; j++) { if (windows[j].MinHead > minTail) { windows[j].MinHead = minTail; } }
                    minQ[minTail++] = i;
                }
            }
            Int128 total = prefix[runEnd - newStart];
            int row = positions is null ? rowBase + (k - newStart) : positions[rowBase + (k - newStart)];
            int rows = runEnd - k;
            for (int j = 0; j < m; j++)
            {
                ref var w = ref windows[j];
                long limit = Before(t, w.Length);
                int l = w.Left;
                if (time[l] <= limit)
                {
                    // time[k] = t > limit, so the scan stops inside the window.
                    int to = l + 1;
                    while (time[to] <= limit) { to++; }
                    Int128 evicted = w.Evicted;
                    int retained = Math.Min(to, newStart);
                    for (int i = l; i < retained; i++) { evicted += FixedPoint.Term(values[i]); }
                    if (to > newStart) { evicted += prefix[to - newStart] - prefix[Math.Max(l, newStart) - newStart]; }
                    w.Evicted = evicted;
                    w.Left = l = to;
                    if (wantMax)
                    {
                        int h = w.MaxHead;
                        while (h < maxTail && maxQ[h] < l) { h++; }
                        w.MaxHead = h;
                    }
                    if (wantMin)
                    {
                        int h = w.MinHead;
                        while (h < minTail && minQ[h] < l) { h++; }
                        w.MinHead = h;
                    }
                }
                long count = runEnd - l;
                var tg = targets[j];
                double sum = tg.WantsTotal ? FixedPoint.Value(total - w.Evicted) : 0;
                double max = wantMax ? BitConverter.Int64BitsToDouble(values[maxQ[w.MaxHead]]) : 0;
                double min = wantMin ? BitConverter.Int64BitsToDouble(values[minQ[w.MinHead]]) : 0;
                if (rows == 1)
                {
                    if (tg.Events is { } events) { events[row] = count; }
                    if (tg.Count is { } counts) { counts[row] = count; }
                    if (tg.Sum is { } sums) { sums[row] = sum; }
                    if (tg.Mean is { } means) { means[row] = sum / count; }
                    if (tg.Max is { } maxes) { maxes[row] = max; }
                    if (tg.Min is { } mins) { mins[row] = min; }
                }
                else
                {
                    WriteRun(tg, row, rows, count, sum, max, min);
                }
            }
            k = runEnd;
        }

        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            st.Left = windows[j].Left + origin;
            st.Count = end - windows[j].Left;
            st.IntSum = running - windows[j].Evicted;
        }
        if (wantMin) { _states.Of(entity, basePass).MinSaved = SaveDeque(entity, basePass, false, minQ, windows[last].MinHead, minTail, windows[last].Left); }
        if (wantMax) { _states.Of(entity, basePass).MaxSaved = SaveDeque(entity, basePass, true, maxQ, windows[last].MaxHead, maxTail, windows[last].Left); }
        return true;
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
