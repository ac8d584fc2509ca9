using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>Sort direction of a sort field.</summary>
public enum SortDirection
{
    /// <summary>asc</summary>
    Asc,
    /// <summary>desc</summary>
    Desc,
}

/// <summary>Where nulls sort.</summary>
public enum NullOrder
{
    /// <summary>nulls-first</summary>
    NullsFirst,
    /// <summary>nulls-last</summary>
    NullsLast,
}

/// <summary>A sort field.</summary>
public sealed record SortField(int SourceId, Transform Transform, SortDirection Direction, NullOrder NullOrder);

/// <summary>A sort order; order id 0 is reserved for unsorted.</summary>
public sealed record SortOrder(int OrderId, IReadOnlyList<SortField> Fields)
{
    /// <summary>The unsorted order (id 0).</summary>
    public static SortOrder Unsorted { get; } = new(0, Array.Empty<SortField>());

    /// <summary>Structural equality.</summary>
    public bool Equals(SortOrder? other) => other is not null && OrderId == other.OrderId && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(OrderId, Fields.Count);
}
