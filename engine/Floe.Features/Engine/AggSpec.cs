using Floe.Features.Definitions;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>
/// A compiled aggregation feature: which slot (-1 counts events), which window (index into the plan's windows),
/// and the value type it produces. <see cref="Output"/> is its index among the aggregation outputs.
/// </summary>
internal sealed record AggSpec(int FeatureIndex, int Output, string Name, AggregationKind Kind, int Slot, int Window, int N, ValueKind OutputKind, bool IsList);
