using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Decides from a data file's partition tuple whether the file may hold rows matching a row filter, by the inclusive
/// projection of the filter through each partition transform (identity, bucket for = and in, truncate, year, month,
/// day, hour). Never excludes a partition that holds a matching row. Thread-safe after construction.
/// </summary>
public sealed class PartitionEvaluator
{
    private readonly Expression _projected;
    private readonly Dictionary<int, int> _positionByFieldId = new();

    /// <summary>Projects the bound <paramref name="filter"/> onto <paramref name="spec"/>.</summary>
    public PartitionEvaluator(Expression filter, PartitionSpec spec, Schema schema)
    {
        _projected = PartitionProjection.Project(filter, spec, schema);
        for (var i = 0; i < spec.Fields.Count; i++) _positionByFieldId[spec.Fields[i].FieldId] = i;
    }

    /// <summary>The projected partition filter (predicates on partition field ids).</summary>
    public Expression Projected => _projected;

    /// <summary>False only when no row of a file with this partition tuple can match.</summary>
    public bool MayMatch(PartitionData partition) => Eval(_projected, partition);

    /// <summary>Shorthand for <c>MayMatch(file.Partition)</c>.</summary>
    public bool MayMatch(DataFile file) => Eval(_projected, file.Partition);

    private bool Eval(Expression e, PartitionData partition) => e switch
    {
        AlwaysTrue => true,
        AlwaysFalse => false,
        And a => Eval(a.Left, partition) && Eval(a.Right, partition),
        Or o => Eval(o.Left, partition) || Eval(o.Right, partition),
        BoundPredicate p => !_positionByFieldId.TryGetValue(p.FieldId, out var pos) || pos >= partition.Count || p.Test(partition[pos]),
        _ => true,
    };
}
