namespace Floe.Features.Engine;

/// <summary>
/// Everything one entity's windows need to continue from where they stopped: the event times still inside the
/// longest bounded window, each window's left edge, and the per-slot and per-(slot, window) aggregators. Batch runs
/// (one chunk per day) and streaming emits advance the same state with the same code, which is why they agree.
/// </summary>
internal sealed class EntityState
{
    public long[] Times = new long[8];
    public long TBase;
    public int TCount;
    public long LastTime = long.MinValue;
    public readonly long[] Left;
    public readonly SlotBuffer[] Slots;
    public readonly SlotWindowState?[] Pairs;

    public EntityState(FeaturePlan plan)
    {
        Left = new long[plan.Windows.Length];
        Slots = new SlotBuffer[plan.Slots.Length];
        for (int s = 0; s < Slots.Length; s++)
        {
            Slots[s] = new SlotBuffer();
        }
        Pairs = new SlotWindowState?[plan.Slots.Length * plan.Windows.Length];
        for (int s = 0; s < plan.Slots.Length; s++)
        {
            bool isFloat = plan.Slots[s].Kind == Expressions.ValueKind.Float64;
            for (int w = 0; w < plan.Windows.Length; w++)
            {
                var needs = plan.Needs[s * plan.Windows.Length + w];
                if (needs == SlotNeeds.None)
                {
                    continue;
                }
                var st = new SlotWindowState();
                if ((needs & SlotNeeds.Sum) != 0 && (isFloat || (needs & SlotNeeds.SumOfSquares) != 0)) { st.Sum = new Kernels.Aggregates.ExactSum(); }
                if ((needs & SlotNeeds.SumOfSquares) != 0) { st.SumSq = new Kernels.Aggregates.ExactSum(); }
                if ((needs & SlotNeeds.Min) != 0)
                {
                    if (isFloat) { st.DMin = new(false); } else { st.LMin = new(false); }
                }
                if ((needs & SlotNeeds.Max) != 0)
                {
                    if (isFloat) { st.DMax = new(true); } else { st.LMax = new(true); }
                }
                if ((needs & SlotNeeds.Distinct) != 0) { st.Distinct = new Dictionary<long, int>(); }
                Pairs[s * plan.Windows.Length + w] = st;
            }
        }
    }

    /// <summary>The absolute position the next event gets.</summary>
    public long Total => TBase + TCount;

    public void AppendTime(long time, long keepFrom)
    {
        if (TCount == Times.Length)
        {
            int drop = (int)Math.Min(TCount, Math.Max(0, keepFrom - TBase));
            if (drop > 0 && drop >= TCount / 2)
            {
                Array.Copy(Times, drop, Times, 0, TCount - drop);
                TCount -= drop;
                TBase += drop;
            }
            else
            {
                Array.Resize(ref Times, Times.Length * 2);
            }
        }
        Times[TCount++] = time;
    }
}
