using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Floe.Kernels.Arithmetic;
using Floe.Kernels.Conversion;
using Floe.Kernels.Drivers;

namespace Floe.Features.Engine;

internal sealed partial class WindowKernel
{
    /// <summary>
    /// <see cref="RunGroup"/> for the usual case of a double slot, run when it applies and returning false (having
    /// changed nothing) when it does not: every value in the longest window and among the new events is present and
    /// has a fixed-point term (no nulls, NaN, infinities or wide values, so every window's count is its number of
    /// events, its sum is a difference of running totals and its min/max deque front is its value), and each window
    /// writes at most one output of each kind. The new events' terms are summed once into a prefix array, so a window
    /// evicting new events subtracts two prefixes and only evictions of retained events convert their values again.
    /// Then each window's left edges and totals run as short loops of their own (<see cref="FloatEdges"/>,
    /// <see cref="FloatTotals"/>), and one pass over one min/max deque serves every window
    /// (<see cref="FloatExtremes{TSide}"/>), rather than all windows per event in one loop, which kept a dozen pointers, heads
    /// and sums live at once and spilled them to the stack. Results and saved state are those <see cref="RunGroup"/>
    /// gives: the same exact sums, the same deque fronts, the same saved deques.
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
        scratch.EnsureEdges(added, m);
        ulong runLo = 0, runHi = 0;
        // The new events' values and the prefix's 2 (added + 1) halves, checked once: the loop below goes through refs
        // (with a bounds check on each load and store it took ~7 instructions an event more; callgrind, 1M-event bench).
        var time = _events.Time;
        if (newStart < 0 || end > values.Length || prefix.Length < 2 * (added + 1)) { throw new IndexOutOfRangeException(); }
        ref ulong pre = ref MemoryMarshal.GetArrayDataReference(prefix);
        ref long value = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), newStart);
        pre = 0;
        Unsafe.Add(ref pre, 1) = 0;
        for (int i = 0; i < added; i++)
        {
            if (!FixedPoint.TryTerm(Unsafe.Add(ref value, i), out var term)) { return false; }
            ulong tLo = (ulong)term;
            runLo += tLo;
            runHi += FixedPoint.Upper(term) + (runLo < tLo ? 1UL : 0UL);
            Unsafe.Add(ref pre, (2 * i) + 2) = runLo;
            Unsafe.Add(ref pre, (2 * i) + 3) = runHi;
        }
        var running = new Int128(runHi, runLo);
        // Whether two new events share a time (see SpreadRuns).
        bool runs = false;
        for (int k = newStart + 1; k < end; k++) { runs |= time[k] == time[k - 1]; }

        var passes = _layout.Passes;
        bool wantMin = (group.Needs & SlotNeeds.Min) != 0;
        bool wantMax = (group.Needs & SlotNeeds.Max) != 0;
        int basePass = members[last];
        ref var baseState = ref _states.Of(entity, basePass);
        int minSaved = baseState.MinSaved, maxSaved = baseState.MaxSaved;
        // Window by window, the longest last: left edges (kept for the deque pass), counts, sums and means, and the
        // window's state.
        var lefts = scratch.Lefts;
        Span<int> starts = stackalloc int[m];
        int finalLeftLast = leftLast;
        for (int j = 0; j < m; j++)
        {
            ref var st = ref _states.Of(entity, members[j]);
            int left = (int)(st.Left - origin);
            starts[j] = left;
            var retained = -st.IntSum;
            ulong retainedLo = (ulong)retained, retainedHi = FixedPoint.Upper(retained);
            int l = FloatEdges(passes[members[j]].Length, left, ref retainedLo, ref retainedHi, values, prefix, newStart, end, lefts, j * added, scratch.Evicted);
            var tg = targets[j];
            if (tg.Events is not null || tg.Count is not null || tg.WantsTotal) { FloatTotals(tg, lefts, j * added, scratch.Evicted, prefix, newStart, end, rowBase, scratch); }
            st.Left = l + origin;
            st.Count = end - l;
            var evicted = new Int128(retainedHi, retainedLo);
            st.IntSum = running - (l >= newStart ? evicted + Prefix(prefix, l - newStart) : evicted);
            finalLeftLast = l;
        }
        // One deque per side for all the windows: the longest window's, restored from its saved copy and saved again.
        if (wantMax)
        {
            var q = scratch.MaxQueues[s];
            int tail = RestoreDeque(entity, basePass, true, maxSaved, q, leftLast);
            int head = FloatExtremes<MaxSide>(q, tail, starts, scratch.ExtremeOutputs(targets, true), values, lefts, newStart, end, rowBase, out tail);
            baseState.MaxSaved = SaveDeque(entity, basePass, true, q, head, tail, finalLeftLast);
        }
        if (wantMin)
        {
            var q = scratch.MinQueues[s];
            int tail = RestoreDeque(entity, basePass, false, minSaved, q, leftLast);
            int head = FloatExtremes<MinSide>(q, tail, starts, scratch.ExtremeOutputs(targets, false), values, lefts, newStart, end, rowBase, out tail);
            baseState.MinSaved = SaveDeque(entity, basePass, false, q, head, tail, finalLeftLast);
        }
        if (runs)
        {
            foreach (var tg in targets) { SpreadRuns(tg, newStart, end, rowBase); }
        }
        return true;
    }

    private static Int128 Prefix(ulong[] prefix, int i) => new(prefix[(2 * i) + 1], prefix[2 * i]);

    /// <summary>
    /// One window's left edges: for each new event i, the first position inside (time[i] − length, time[i]], into
    /// lefts[offset + i − newStart], and what the window has evicted by then, into evicted (two halves): its
    /// retained events' terms (less its sum before the chunk, the starting value of retained) plus the prefix of the
    /// new events it has passed. Returns the final left edge; retained ends as what it evicted of the retained events.
    /// </summary>
    /// <remarks>
    /// The window's work runs as a few short loops over the new events (edges, totals, each deque, runs) rather than
    /// one loop doing everything: each keeps its handful of variables in registers, where the one loop spilled a
    /// dozen to the stack. Every event is treated as ending its own window; a run of equal times is fixed up after.
    /// </remarks>
    private int FloatEdges(long length, int l, ref ulong retainedLo, ref ulong retainedHi, long[] values, ulong[] prefix, int newStart, int end, int[] lefts, int offset, ulong[] evicted)
    {
        var time = _events.Time;
        int n = end - newStart;
        // Each step reads time and values in [l, end), writes lefts in [offset, offset + n) and evicted in [0, 2n), and
        // reads prefix in [0, 2n + 2): checked once here, so the loops go through refs without a bounds check per
        // load (cachegrind, 1M-event bench: this function's instructions 467 M -> 349 M).
        if ((uint)l > (uint)newStart || n < 0 || end > time.Length || end > values.Length || (uint)offset > (uint)lefts.Length || n > lefts.Length - offset
            || 2L * n > evicted.Length || (2L * n) + 2 > prefix.Length)
        {
            throw new IndexOutOfRangeException();
        }
        ref long t = ref MemoryMarshal.GetArrayDataReference(time);
        ref long tNew = ref Unsafe.Add(ref t, newStart);
        ref int edge = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(lefts), offset);
        ref ulong ev = ref MemoryMarshal.GetArrayDataReference(evicted);
        ulong rLo = retainedLo, rHi = retainedHi;
        int k = 0;
        // Both loops are merges of the events' times with the new events' window limits, one step at a time without a
        // branch on which side moves: a step either evicts the event at the left edge (adv 1) or, when that event is
        // inside new event k's window, moves on to new event k + 1 (adv 0). How many events each new event evicts is
        // random, so a scan per event mispredicted its exit almost every time. Every step writes event k's edge and
        // evicted total; the last write before k moves on is the right one.
        // While the left edge is among the retained events, each one it passes adds its term.
        if (l < newStart)
        {
            ref long v = ref MemoryMarshal.GetArrayDataReference(values);
            while (k < n && l < newStart)
            {
                long limit = Before(Unsafe.Add(ref tNew, k), length);
                int adv = Unsafe.Add(ref t, l) <= limit ? 1 : 0;
                ulong keep = 0UL - (ulong)adv;
                ulong termLo = FixedPoint.TermLow(Unsafe.Add(ref v, l), out ulong termHi) & keep;
                rLo += termLo;
                rHi += (termHi & keep) + (rLo < termLo ? 1UL : 0UL);
                l += adv;
                Unsafe.Add(ref edge, k) = l;
                Unsafe.Add(ref ev, 2 * k) = rLo;
                Unsafe.Add(ref ev, (2 * k) + 1) = rHi;
                k += 1 - adv;
            }
        }
        // Then what it evicted is rLo/rHi plus a prefix of the new events. Event k's time is above its limit, so the
        // edge stops at k: e (the edge less newStart) stays in [0, k].
        int e = l - newStart;
        ref ulong pf = ref MemoryMarshal.GetArrayDataReference(prefix);
        while (k < n)
        {
            long limit = Before(Unsafe.Add(ref tNew, k), length);
            int adv = Unsafe.Add(ref tNew, e) <= limit ? 1 : 0;
            e += adv;
            ulong eLo = rLo + Unsafe.Add(ref pf, 2 * e);
            Unsafe.Add(ref edge, k) = newStart + e;
            Unsafe.Add(ref ev, 2 * k) = eLo;
            Unsafe.Add(ref ev, (2 * k) + 1) = rHi + Unsafe.Add(ref pf, (2 * e) + 1) + (eLo < rLo ? 1UL : 0UL);
            k += 1 - adv;
        }
        retainedLo = rLo;
        retainedHi = rHi;
        return newStart + e;
    }

    /// <summary>
    /// One window's count, sum and mean for each new event, from its left edge and evicted total (see
    /// <see cref="FloatEdges"/>): the count is the events from the left edge, the sum the prefix less what was evicted.
    /// </summary>
    /// <remarks>
    /// Counts and sums go straight into their outputs, in sorted order, each in a loop of its own (scratch only where
    /// the window has no such output), the means from those. Most entities add a few events a chunk: a copy from
    /// scratch per output cost more in memmove calls than the writes themselves, and one loop writing every output
    /// kept some twenty values live and ran from the stack.
    /// </remarks>
    private static void FloatTotals(WindowTargets tg, int[] lefts, int offset, ulong[] evicted, ulong[] prefix, int newStart, int end, int rowBase, KernelScratch scratch)
    {
        int n = end - newStart;
        long[]? countOut = tg.Events ?? tg.Count;
        var counts = countOut is null ? scratch.Counts.AsSpan(0, n) : countOut.AsSpan(rowBase, n);
        var left = lefts.AsSpan(offset, n);
        // Event k's window holds the events from its left edge through itself.
        int through = newStart + 1;
        for (int k = 0; k < counts.Length; k++) { counts[k] = through + k - left[k]; }
        // A window with both a count(*) and a count of the slot writes the second as a copy of the first.
        if (tg.Events is not null && tg.Count is { } second) { counts.CopyTo(second.AsSpan(rowBase, n)); }
        if (!tg.WantsTotal) { return; }
        var sums = tg.Sum is { } sumOut ? sumOut.AsSpan(rowBase, n) : scratch.Sums.AsSpan(0, n);
        WindowSums(evicted.AsSpan(0, 2 * n), prefix.AsSpan(2, 2 * n), sums);
        if (tg.Mean is { } means) { Divide(sums, counts, scratch, means.AsSpan(rowBase, n)); }
    }

    /// <summary>
    /// sums[k] = the prefix through new event k less what its window evicted (both as (low, high) halves), as a double.
    /// </summary>
    /// <remarks>
    /// A method of its own over refs (the slices' lengths checked by the caller's slicing, and here): inside
    /// <see cref="FloatTotals"/> the loop kept its counters on the stack, its registers taken by the caller's values,
    /// and checked bounds on every load (callgrind, 1M-event bench: ~90 instructions a sum; ~35 this way).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WindowSums(ReadOnlySpan<ulong> evicted, ReadOnlySpan<ulong> prefix, Span<double> sums)
    {
        int n = sums.Length;
        if (evicted.Length < 2 * n || prefix.Length < 2 * n) { throw new IndexOutOfRangeException(); }
        ref ulong ev = ref MemoryMarshal.GetReference(evicted);
        ref ulong pf = ref MemoryMarshal.GetReference(prefix);
        ref double sum = ref MemoryMarshal.GetReference(sums);
        for (int k = 0; k < n; k++)
        {
            ulong eLo = Unsafe.Add(ref ev, 2 * k);
            ulong tLo = Unsafe.Add(ref pf, 2 * k);
            ulong lo = tLo - eLo;
            ulong hi = Unsafe.Add(ref pf, (2 * k) + 1) - Unsafe.Add(ref ev, (2 * k) + 1) - (tLo < eLo ? 1UL : 0UL);
            Unsafe.Add(ref sum, k) = FixedPoint.Value(hi, lo);
        }
    }

    // quotients[k] = sums[k] / counts[k]: a short span as a plain loop, a long one through the kernel library's vector
    // drivers (the same IEEE division of the same exactly converted counts, so the two agree bit for bit); the
    // drivers' setup outweighs the few divisions of the usual entity.
    private static void Divide(ReadOnlySpan<double> sums, ReadOnlySpan<long> counts, KernelScratch scratch, Span<double> quotients)
    {
        if (counts.Length < VectorDivideFrom)
        {
            for (int k = 0; k < counts.Length; k++) { quotients[k] = sums[k] / counts[k]; }
            return;
        }
        var divisors = scratch.Divisors.AsSpan(0, counts.Length);
        UnaryDriver.Invoke<long, double, Int64ToDoubleOperator>(counts, divisors);
        BinaryDriver.Invoke<double, DivideOperator>(sums, divisors, quotients);
    }

    // From how many rows Divide goes through the vector drivers.
    private const int VectorDivideFrom = 16;

    /// <summary>
    /// Every window's max (or min) for each new event, from one monotonic deque of positions in q whose values fall
    /// (max) or rise (min): the longest window's, restored as [0, <paramref name="tail"/>). Each new event pops what
    /// it dominates (equal values too: the newer lives at least as long) down to the longest window's head, then each
    /// window's head moves to the window's left edge (a head the pops passed restarts at the new event, which then
    /// dominates the window). Writes each window's Max (Min) output when it has one; returns the longest window's
    /// head, the tail in <paramref name="finalTail"/>.
    /// </summary>
    private static int FloatExtremes<TSide>(int[] q, int tail, ReadOnlySpan<int> starts, double[]?[] outputs, long[] values, int[] lefts, int newStart, int end, int rowBase, out int finalTail)
        where TSide : struct, IExtremeSide
    {
        int n = end - newStart;
        int m = starts.Length;
        int last = m - 1;
        // The deque's pushes, the left edges and every output row are checked here once, so the loops below index them
        // through refs (callgrind, 1M-event bench: ~50 instructions an event and window with a bounds check on each
        // load, the window's output read again from its targets and its head from the stack; ~30 this way). Positions
        // read from the deque index the values with the usual check.
        if ((uint)tail > (uint)q.Length || n < 0 || n > q.Length - tail || (long)m * n > lefts.Length || outputs.Length < m)
        {
            throw new IndexOutOfRangeException();
        }
        for (int j = 0; j < m; j++)
        {
            if (outputs[j] is { } o && (rowBase < 0 || rowBase > o.Length - n)) { throw new IndexOutOfRangeException(); }
        }
        Span<int> heads = stackalloc int[m];
        for (int j = 0; j < m; j++)
        {
            int h = 0;
            while (h < tail && q[h] < starts[j]) { h++; }
            heads[j] = h;
        }
        ref int qr = ref MemoryMarshal.GetArrayDataReference(q);
        ref int edges = ref MemoryMarshal.GetArrayDataReference(lefts);
        ref double[]? outs = ref MemoryMarshal.GetArrayDataReference(outputs);
        for (int k = 0; k < n; k++)
        {
            int i = newStart + k;
            double d = BitConverter.Int64BitsToDouble(values[i]);
            int floor = heads[last];
            while (tail > floor && TSide.Dominates(d, BitConverter.Int64BitsToDouble(values[Unsafe.Add(ref qr, tail - 1)]))) { tail--; }
            Unsafe.Add(ref qr, tail++) = i;
            int row = rowBase + k;
            for (int j = 0; j < m; j++)
            {
                int h = Math.Min(heads[j], tail - 1);
                // The left edge is at most event i, which now ends the deque: the walk stops by tail − 1.
                int l = Unsafe.Add(ref edges, (j * n) + k);
                while (Unsafe.Add(ref qr, h) < l) { h++; }
                heads[j] = h;
                if (Unsafe.Add(ref outs, j) is { } o)
                {
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(o), row) = BitConverter.Int64BitsToDouble(values[Unsafe.Add(ref qr, h)]);
                }
            }
        }
        finalTail = tail;
        return heads[last];
    }

    /// <summary>Which side a min/max deque keeps: <see cref="FloatExtremes{TSide}"/> is compiled once for each.</summary>
    private interface IExtremeSide
    {
        /// <summary>Whether a newer value <paramref name="newer"/> makes <paramref name="older"/> useless (equal ones too: the newer lives at least as long).</summary>
        static abstract bool Dominates(double newer, double older);
    }

    private struct MaxSide : IExtremeSide
    {
        public static bool Dominates(double newer, double older) => older <= newer;
    }

    private struct MinSide : IExtremeSide
    {
        public static bool Dominates(double newer, double older) => older >= newer;
    }

    /// <summary>
    /// Gives every event of a run of equal times the values of the run's last event, whose window holds the whole run
    /// (window (t − w, t] includes every event at t): the loops above end each event's window at the event itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SpreadRuns(WindowTargets tg, int newStart, int end, int rowBase)
    {
        var time = _events.Time;
        for (int i = end - 2; i >= newStart; i--)
        {
            if (time[i] != time[i + 1]) { continue; }
            int to = rowBase + (i - newStart);
            int from = to + 1;
            if (tg.Events is { } events) { events[to] = events[from]; }
            if (tg.Count is { } counts) { counts[to] = counts[from]; }
            if (tg.Sum is { } sums) { sums[to] = sums[from]; }
            if (tg.Mean is { } means) { means[to] = means[from]; }
            if (tg.Max is { } maxes) { maxes[to] = maxes[from]; }
            if (tg.Min is { } mins) { mins[to] = mins[from]; }
        }
    }
}
