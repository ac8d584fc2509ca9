using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>A partition field: <paramref name="Transform"/> applied to source column <paramref name="SourceId"/>.</summary>
public sealed record PartitionField(int SourceId, int FieldId, string Name, Transform Transform);

/// <summary>A partition spec: an ordered list of partition fields (empty = unpartitioned).</summary>
public sealed record PartitionSpec(int SpecId, IReadOnlyList<PartitionField> Fields)
{
    /// <summary>Partition field ids start at 1000 (spec).</summary>
    public const int FirstFieldId = 1000;

    /// <summary>The unpartitioned spec with id 0.</summary>
    public static PartitionSpec Unpartitioned { get; } = new(0, Array.Empty<PartitionField>());

    /// <summary>True when the spec has no fields that partition (void-only counts as unpartitioned).</summary>
    public bool IsUnpartitioned => Fields.All(f => f.Transform.Kind == TransformKind.Void);

    /// <summary>The highest partition field id, or 999 when there is none.</summary>
    public int LastAssignedFieldId => Fields.Count == 0 ? FirstFieldId - 1 : Fields.Max(f => f.FieldId);

    /// <summary>Structural equality.</summary>
    public bool Equals(PartitionSpec? other) => other is not null && SpecId == other.SpecId && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SpecId, Fields.Count);
}
