namespace Floe.Features.Engine;

/// <summary>
/// One worker's reusable working memory: the full min/max deques of the window being evaluated (restored per entity
/// and chunk from the short copies <see cref="EntityStates"/> keeps, or by replaying the window) and room to gather a
/// <c>last_n</c> row.
/// </summary>
internal sealed class KernelScratch
{
    public KernelScratch(FeaturePlan plan)
    {
        int ns = plan.Slots.Length;
        MinQueues = new int[ns][];
        MaxQueues = new int[ns][];
        int maxN = 1;
        for (int s = 0; s < ns; s++)
        {
            MinQueues[s] = [];
            MaxQueues[s] = [];
            maxN = Math.Max(maxN, plan.MaxLastN[s]);
        }
        LastValues = new long[maxN];
        SortedBits = new long[ns][];
        SortedValid = new bool[ns][];
        _validBuffers = new bool[ns][];
        for (int s = 0; s < ns; s++) { SortedBits[s] = []; }
    }

    /// <summary>The bounded window the general path is going through (one at a time per worker).</summary>
    public WindowCursors Cursors;

    // Kept while a chunk without nulls leaves SortedValid null.
    private readonly bool[]?[] _validBuffers;

    /// <summary>Per slot, the value bits of the rows last gathered.</summary>
    public long[][] SortedBits { get; }

    /// <summary>Per slot, the presence of the rows last gathered; null where the chunk's slot has no nulls.</summary>
    public bool[]?[] SortedValid { get; }

    /// <summary>
    /// Gathers the slot values of the chunk rows at sorted positions [<paramref name="first"/>, + <paramref name="rows"/>)
    /// of <paramref name="order"/> into <see cref="SortedBits"/> and <see cref="SortedValid"/> from 0 (times come
    /// sorted from the sort itself).
    /// </summary>
    public void Gather(EventChunk chunk, int[] order, int first, int rows)
    {
        var at = order.AsSpan(first, rows);
        for (int s = 0; s < SortedBits.Length; s++)
        {
            if (SortedBits[s].Length < rows) { SortedBits[s] = new long[Math.Max(rows, SortedBits[s].Length + (SortedBits[s].Length / 2))]; }
            Take(chunk.SlotBits[s], at, SortedBits[s]);
            if (chunk.SlotValid[s] is { } valid)
            {
                var dst = _validBuffers[s];
                if (dst is null || dst.Length < rows) { _validBuffers[s] = dst = new bool[SortedBits[s].Length]; }
                for (int k = 0; k < at.Length; k++) { dst[k] = valid[at[k]]; }
                SortedValid[s] = dst;
            }
            else
            {
                SortedValid[s] = null;
            }
        }
    }

    private static void Take(long[] source, ReadOnlySpan<int> at, long[] destination)
    {
        var dst = destination.AsSpan(0, at.Length);
        for (int k = 0; k < at.Length; k++) { dst[k] = source[at[k]]; }
    }

    public int[][] MinQueues { get; }

    public int[][] MaxQueues { get; }

    private ulong[] _prefix = [];

    /// <summary>Room for <paramref name="length"/> halves of running fixed-point totals (a float group's new events, see WindowKernel).</summary>
    public ulong[] Prefix(int length)
    {
        if (_prefix.Length < length) { _prefix = new ulong[Math.Max(length, _prefix.Length * 2)]; }
        return _prefix;
    }

    /// <summary>A float group's windows' left edges per new event, window after window (see WindowKernel.FloatEdges).</summary>
    public int[] Lefts { get; private set; } = [];

    /// <summary>A float group window's evicted total per new event, as interleaved halves.</summary>
    public ulong[] Evicted { get; private set; } = [];

    /// <summary>A float group window's count per new event (see WindowKernel.FloatTotals).</summary>
    public long[] Counts { get; private set; } = [];

    /// <summary>A float group window's sum per new event, then its mean where the outputs go through a row map.</summary>
    public double[] Sums { get; private set; } = [];

    /// <summary>A float group window's counts as doubles, the divisors of its means.</summary>
    public double[] Divisors { get; private set; } = [];

    /// <summary>
    /// Makes <see cref="Lefts"/> hold <paramref name="windows"/> windows of <paramref name="events"/> new events, and
    /// <see cref="Evicted"/>, <see cref="Counts"/>, <see cref="Sums"/> and <see cref="Divisors"/> one.
    /// </summary>
    public void EnsureEdges(int events, int windows)
    {
        if (Evicted.Length < 2 * events) { Evicted = new ulong[2 * Math.Max(events, Evicted.Length)]; }
        if (Lefts.Length < events * windows) { Lefts = new int[Math.Max(events * windows, Lefts.Length * 2)]; }
        if (Counts.Length < events)
        {
            Counts = new long[Math.Max(events, Counts.Length * 2)];
            Sums = new double[Counts.Length];
            Divisors = new double[Counts.Length];
        }
    }

    private double[]?[] _extremeOutputs = [];

    /// <summary>
    /// The Max (or Min) output of each of <paramref name="targets"/>' windows, null where it has none, in a reused
    /// array (see WindowKernel.FloatExtremes): read once per entity and chunk instead of once per event and window.
    /// </summary>
    public double[]?[] ExtremeOutputs(WindowTargets[] targets, bool max)
    {
        if (_extremeOutputs.Length < targets.Length) { _extremeOutputs = new double[]?[targets.Length]; }
        for (int j = 0; j < targets.Length; j++) { _extremeOutputs[j] = max ? targets[j].Max : targets[j].Min; }
        return _extremeOutputs;
    }

    /// <summary>Holds the values of one <c>last_n</c> row while they are gathered newest first.</summary>
    public long[] LastValues { get; }

    /// <summary>Makes every min/max deque able to hold <paramref name="events"/> positions.</summary>
    public void EnsureQueues(int events, SlotNeeds[] needsBySlot)
    {
        for (int s = 0; s < MinQueues.Length; s++)
        {
            if ((needsBySlot[s] & SlotNeeds.Min) != 0 && MinQueues[s].Length < events) { MinQueues[s] = new int[Math.Max(events, MinQueues[s].Length * 2)]; }
            if ((needsBySlot[s] & SlotNeeds.Max) != 0 && MaxQueues[s].Length < events) { MaxQueues[s] = new int[Math.Max(events, MaxQueues[s].Length * 2)]; }
        }
    }
}
