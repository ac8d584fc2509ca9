using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Decides from a manifest's partition field summaries (manifest list <c>partitions</c>) whether the manifest may hold
/// files with rows matching a row filter, using the same inclusive projection as <see cref="PartitionEvaluator"/>.
/// Never excludes a manifest that holds a matching row. Thread-safe after construction.
/// </summary>
public sealed class ManifestEvaluator
{
    private readonly ProjectedPartitionFilter _filter;

    /// <summary>Projects the bound <paramref name="filter"/> onto <paramref name="spec"/> (the manifest's spec).</summary>
    public ManifestEvaluator(Expression filter, PartitionSpec spec, Schema schema) => _filter = new ProjectedPartitionFilter(filter, spec, schema);

    /// <summary>False only when no file summarized by <paramref name="partitions"/> can hold a matching row.</summary>
    public bool MayMatch(IReadOnlyList<PartitionFieldSummary>? partitions) =>
        partitions is null || _filter.MayMatch(new Summaries(partitions));

    /// <summary>Shorthand for <c>MayMatch(manifest.Partitions)</c>.</summary>
    public bool MayMatch(ManifestFile manifest) => MayMatch(manifest.Partitions);

    private readonly struct Summaries(IReadOnlyList<PartitionFieldSummary> summaries) : IPartitionFacts
    {
        public int Count => summaries.Count;

        public bool MayMatch(BoundPredicate predicate, int position) => Test(predicate, summaries[position]);
    }

    private static bool Test(BoundPredicate p, PartitionFieldSummary s)
    {
        var lower = BoundsCheck.Decode(p.Type, s.LowerBound);
        var upper = BoundsCheck.Decode(p.Type, s.UpperBound);
        // Bounds cover non-null, non-NaN values; no bounds while nulls exist means every value is null.
        var onlyNulls = s.ContainsNull && s.LowerBound is null && s.UpperBound is null && s.ContainsNan != true;
        switch (p.Op)
        {
            case Operation.IsNull:
                return s.ContainsNull;
            case Operation.NotNull:
                return !onlyNulls;
            case Operation.NotEq:
            case Operation.NotIn:
                return !onlyNulls;
            default:
                return !onlyNulls && BoundsCheck.MayMatch(p, lower, upper);
        }
    }
}
