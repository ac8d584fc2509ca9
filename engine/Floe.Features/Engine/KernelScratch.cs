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
