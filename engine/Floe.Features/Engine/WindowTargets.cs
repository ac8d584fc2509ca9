using Floe.Features.Definitions;

namespace Floe.Features.Engine;

/// <summary>
/// The output arrays one window of a <see cref="WindowGroup"/> writes, resolved once per chunk so the kernel's
/// common case (one row, a non-empty window) stores each value straight into its array. Validity arrays start all
/// true (see <see cref="AggOutputBuffer"/>) and that case writes no nulls, so only the values are kept here.
/// <see cref="Generic"/> marks a window with two outputs of one kind (duplicate features): it always takes the
/// general emit.
/// </summary>
internal sealed class WindowTargets
{
    public WindowTargets(WindowPass pass, AggOutputBuffer[] outputs)
    {
        foreach (int index in pass.Outputs)
        {
            var o = outputs[index];
            var spec = o.Spec;
            if (spec.Slot < 0)
            {
                Generic |= Events is not null;
                Events = o.L;
                continue;
            }
            switch (spec.Kind)
            {
                case AggregationKind.Count:
                    Generic |= Count is not null;
                    Count = o.L;
                    break;
                case AggregationKind.Sum:
                    Generic |= Sum is not null || SumL is not null;
                    Sum = o.D;
                    SumL = o.L;
                    break;
                case AggregationKind.Mean:
                    Generic |= Mean is not null;
                    Mean = o.D;
                    break;
                case AggregationKind.Max:
                    Generic |= Max is not null || MaxL is not null;
                    Max = o.D;
                    MaxL = o.L;
                    break;
                case AggregationKind.Min:
                    Generic |= Min is not null || MinL is not null;
                    Min = o.D;
                    MinL = o.L;
                    break;
                default:
                    Generic = true;
                    break;
            }
        }
        WantsTotal = Sum is not null || Mean is not null;
    }

    public bool Generic { get; }

    /// <summary>The window reads its double sum (a sum or a mean).</summary>
    public bool WantsTotal { get; }

    public long[]? Events { get; }
    public long[]? Count { get; }
    public double[]? Sum { get; }
    public long[]? SumL { get; }
    public double[]? Mean { get; }
    public double[]? Max { get; }
    public long[]? MaxL { get; }
    public double[]? Min { get; }
    public long[]? MinL { get; }
}
