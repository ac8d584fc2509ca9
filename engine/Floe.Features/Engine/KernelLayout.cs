using Floe.Features.Definitions;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>
/// A <see cref="FeaturePlan"/> arranged for the window kernel: per window, the slots it aggregates and the outputs
/// it feeds; per slot, whether it holds doubles and how many of its newest values must outlive their windows.
/// </summary>
internal sealed class KernelLayout
{
    public KernelLayout(FeaturePlan plan)
    {
        Windows = plan.Windows;
        Needs = plan.Needs;
        int nw = Windows.Length, ns = plan.Slots.Length;
        IsFloat = new bool[ns];
        NeedsBySlot = new SlotNeeds[ns];
        KeepLast = new int[ns];
        for (int s = 0; s < ns; s++)
        {
            IsFloat[s] = plan.Slots[s].Kind == ValueKind.Float64;
            for (int w = 0; w < nw; w++) { NeedsBySlot[s] |= Needs[s * nw + w]; }
        }
        SlotsByWindow = new int[nw][];
        var slots = new List<int>();
        for (int w = 0; w < nw; w++)
        {
            slots.Clear();
            for (int s = 0; s < ns; s++)
            {
                if (Needs[s * nw + w] != SlotNeeds.None) { slots.Add(s); }
            }
            foreach (var spec in plan.Aggs)
            {
                if (spec.Window != w) { continue; }
                // Unbounded last/last_n read values older than any time horizon: keep that many per slot.
                if (Windows[w] == long.MaxValue && spec.Slot >= 0)
                {
                    if (spec.Kind == AggregationKind.Last) { KeepLast[spec.Slot] = Math.Max(KeepLast[spec.Slot], 1); }
                    if (spec.Kind == AggregationKind.LastN) { KeepLast[spec.Slot] = Math.Max(KeepLast[spec.Slot], spec.N); }
                }
            }
            SlotsByWindow[w] = [.. slots];
        }
        for (int w = 0; w < nw; w++)
        {
            if (Windows[w] != long.MaxValue) { LongestBounded = Math.Max(LongestBounded, Windows[w]); }
            else { HasUnbounded = true; }
        }
        Passes = BuildPasses(plan);
        (Groups, Singles) = BuildGroups(Passes);
    }

    /// <summary>
    /// The fast passes (bounded windows, count/sum/mean/min/max only) gathered by slot, windows ascending: each group
    /// runs as one loop over the entity's events (<see cref="WindowKernel"/>), adding each event once for all its
    /// windows and sharing one min/max deque, instead of one loop per window.
    /// </summary>
    public WindowGroup[] Groups { get; }

    /// <summary>The passes outside every group, run one by one.</summary>
    public int[] Singles { get; }

    private static (WindowGroup[] Groups, int[] Singles) BuildGroups(WindowPass[] passes)
    {
        var groups = new List<WindowGroup>();
        var singles = new List<int>();
        var done = new bool[passes.Length];
        var members = new List<int>();
        for (int p = 0; p < passes.Length; p++)
        {
            if (done[p]) { continue; }
            if (!passes[p].Fast)
            {
                singles.Add(p);
                continue;
            }
            members.Clear();
            var needs = SlotNeeds.None;
            // Passes come window by window with windows ascending, so members come out ordered by window length.
            for (int q = p; q < passes.Length; q++)
            {
                if (!passes[q].Fast || passes[q].Slot != passes[p].Slot) { continue; }
                members.Add(q);
                needs |= passes[q].Needs;
                done[q] = true;
            }
            groups.Add(new WindowGroup(passes[p].Slot, passes[p].IsFloat, needs, [.. members]));
        }
        return ([.. groups], [.. singles]);
    }

    /// <summary>The kernel's passes over each entity's events, window by window.</summary>
    public WindowPass[] Passes { get; }

    private WindowPass[] BuildPasses(FeaturePlan plan)
    {
        var passes = new List<WindowPass>();
        int nw = Windows.Length;
        var outputs = new List<int>();
        for (int w = 0; w < nw; w++)
        {
            bool bounded = Windows[w] != long.MaxValue;
            var eventCounts = new List<int>();
            foreach (var spec in plan.Aggs)
            {
                if (spec.Window == w && spec.Slot < 0) { eventCounts.Add(spec.Output); }
            }
            foreach (int s in SlotsByWindow[w])
            {
                outputs.Clear();
                outputs.AddRange(eventCounts);
                eventCounts.Clear();
                var needs = Needs[s * nw + w];
                bool fast = bounded && (needs & (SlotNeeds.SumOfSquares | SlotNeeds.Distinct)) == 0;
                foreach (var spec in plan.Aggs)
                {
                    if (spec.Window != w || spec.Slot != s) { continue; }
                    outputs.Add(spec.Output);
                    fast &= spec.Kind is AggregationKind.Count or AggregationKind.Sum or AggregationKind.Mean or AggregationKind.Min or AggregationKind.Max;
                }
                passes.Add(new WindowPass(w, Windows[w], s, IsFloat[s], needs, [.. outputs], fast));
            }
            if (eventCounts.Count > 0) { passes.Add(new WindowPass(w, Windows[w], -1, false, SlotNeeds.None, [.. eventCounts], bounded)); }
        }
        return [.. passes];
    }

    /// <summary>Window lengths in microseconds, ascending; <see cref="long.MaxValue"/> is unbounded.</summary>
    public long[] Windows { get; }

    /// <summary>Indexed <c>slot * Windows.Length + window</c>.</summary>
    public SlotNeeds[] Needs { get; }

    /// <summary>Per slot, the union of its needs over all windows.</summary>
    public SlotNeeds[] NeedsBySlot { get; }

    public bool[] IsFloat { get; }

    public int[][] SlotsByWindow { get; }


    /// <summary>Per slot, how many of an entity's newest values are kept whatever their age.</summary>
    public int[] KeepLast { get; }

    /// <summary>The longest bounded window (0 when there is none): events older than that are dropped.</summary>
    public long LongestBounded { get; }

    public bool HasUnbounded { get; }
}
