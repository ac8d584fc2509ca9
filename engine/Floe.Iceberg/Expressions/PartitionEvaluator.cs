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
    private readonly ProjectedPartitionFilter _filter;

    /// <summary>Projects the bound <paramref name="filter"/> onto <paramref name="spec"/>.</summary>
    public PartitionEvaluator(Expression filter, PartitionSpec spec, Schema schema) => _filter = new ProjectedPartitionFilter(filter, spec, schema);

    /// <summary>The projected partition filter (predicates on partition field ids).</summary>
    public Expression Projected => _filter.Projected;

    /// <summary>False only when no row of a file with this partition tuple can match.</summary>
    public bool MayMatch(PartitionData partition) => _filter.MayMatch(new PartitionTuple(partition));

    /// <summary>Shorthand for <c>MayMatch(file.Partition)</c>.</summary>
    public bool MayMatch(DataFile file) => MayMatch(file.Partition);

    private readonly struct PartitionTuple(PartitionData partition) : IPartitionFacts
    {
        public int Count => partition.Count;

        public bool MayMatch(BoundPredicate predicate, int position) => predicate.Test(partition[position]);
    }
}
