using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// A row filter projected inclusively onto a partition spec, evaluated over any source of per-partition-field facts
/// (a data file's partition tuple, a manifest's field summaries): the one tree walk both evaluators share. A predicate
/// on a field the source lacks may match. Thread-safe after construction.
/// </summary>
internal sealed class ProjectedPartitionFilter
{
    private readonly Dictionary<int, int> _positionByFieldId = new();

    /// <summary>Projects the bound <paramref name="filter"/> onto <paramref name="spec"/>.</summary>
    public ProjectedPartitionFilter(Expression filter, PartitionSpec spec, Schema schema)
    {
        Projected = PartitionProjection.Project(filter, spec, schema);
        for (var i = 0; i < spec.Fields.Count; i++) _positionByFieldId[spec.Fields[i].FieldId] = i;
    }

    /// <summary>The projected partition filter (predicates on partition field ids).</summary>
    public Expression Projected { get; }

    /// <summary>False only when nothing <paramref name="source"/> describes can hold a matching row.</summary>
    public bool MayMatch<TSource>(in TSource source)
        where TSource : struct, IPartitionFacts => Eval(Projected, source);

    private bool Eval<TSource>(Expression e, in TSource source)
        where TSource : struct, IPartitionFacts => e switch
        {
            AlwaysTrue => true,
            AlwaysFalse => false,
            And a => Eval(a.Left, source) && Eval(a.Right, source),
            Or o => Eval(o.Left, source) || Eval(o.Right, source),
            BoundPredicate p => !_positionByFieldId.TryGetValue(p.FieldId, out var pos) || pos >= source.Count || source.MayMatch(p, pos),
            _ => true,
        };
}
