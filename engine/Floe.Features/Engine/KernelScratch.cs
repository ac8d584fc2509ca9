using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// One worker's reusable working memory for bounded windows: an aggregator state, exact sums, min/max deques and a
/// distinct-count table per slot, reset for every (entity, window) instead of kept per entity.
/// </summary>
internal sealed class KernelScratch
{
    public KernelScratch(FeaturePlan plan)
    {
        int ns = plan.Slots.Length;
        States = new AggregatorState[ns];
        Sums = new ExactSum[ns];
        SumSquares = new ExactSum[ns];
        MinQueues = new int[ns][];
        MaxQueues = new int[ns][];
        Distinct = new Dictionary<long, int>[ns];
        int maxN = 1;
        for (int s = 0; s < ns; s++)
        {
            Sums[s] = new ExactSum();
            SumSquares[s] = new ExactSum();
            MinQueues[s] = [];
            MaxQueues[s] = [];
            Distinct[s] = [];
            maxN = Math.Max(maxN, plan.MaxLastN[s]);
        }
        LastValues = new long[maxN];
    }

    public AggregatorState[] States { get; }

    public ExactSum[] Sums { get; }

    public ExactSum[] SumSquares { get; }

    public int[][] MinQueues { get; }

    public int[][] MaxQueues { get; }

    public Dictionary<long, int>[] Distinct { get; }

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
