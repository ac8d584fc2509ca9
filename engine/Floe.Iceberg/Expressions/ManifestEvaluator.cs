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
    private readonly Expression _projected;
    private readonly Dictionary<int, int> _positionByFieldId = new();

    /// <summary>Projects the bound <paramref name="filter"/> onto <paramref name="spec"/> (the manifest's spec).</summary>
    public ManifestEvaluator(Expression filter, PartitionSpec spec, Schema schema)
    {
        _projected = PartitionProjection.Project(filter, spec, schema);
        for (var i = 0; i < spec.Fields.Count; i++) _positionByFieldId[spec.Fields[i].FieldId] = i;
    }

    /// <summary>False only when no file summarized by <paramref name="partitions"/> can hold a matching row.</summary>
    public bool MayMatch(IReadOnlyList<PartitionFieldSummary>? partitions) =>
        partitions is null || Eval(_projected, partitions);

    /// <summary>Shorthand for <c>MayMatch(manifest.Partitions)</c>.</summary>
    public bool MayMatch(ManifestFile manifest) => MayMatch(manifest.Partitions);

    private bool Eval(Expression e, IReadOnlyList<PartitionFieldSummary> summaries) => e switch
    {
        AlwaysTrue => true,
        AlwaysFalse => false,
        And a => Eval(a.Left, summaries) && Eval(a.Right, summaries),
        Or o => Eval(o.Left, summaries) || Eval(o.Right, summaries),
        BoundPredicate p => !_positionByFieldId.TryGetValue(p.FieldId, out var pos) || pos >= summaries.Count || Test(p, summaries[pos]),
        _ => true,
    };

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
