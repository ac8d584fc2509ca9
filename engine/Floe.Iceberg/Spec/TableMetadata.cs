using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>
/// The table metadata document (<c>vN.metadata.json</c>). Immutable: changes produce a new instance
/// (use <c>with</c>). Field names follow the spec.
/// </summary>
public sealed record TableMetadata
{
    /// <summary>format-version: 1, 2 or 3.</summary>
    public required int FormatVersion { get; init; }
    /// <summary>table-uuid</summary>
    public required Guid TableUuid { get; init; }
    /// <summary>location: the table's base location.</summary>
    public required string Location { get; init; }
    /// <summary>last-sequence-number</summary>
    public long LastSequenceNumber { get; init; }
    /// <summary>last-updated-ms</summary>
    public long LastUpdatedMs { get; init; }
    /// <summary>last-column-id</summary>
    public int LastColumnId { get; init; }
    /// <summary>schemas</summary>
    public required IReadOnlyList<Schema> Schemas { get; init; }
    /// <summary>current-schema-id</summary>
    public int CurrentSchemaId { get; init; }
    /// <summary>partition-specs</summary>
    public required IReadOnlyList<PartitionSpec> PartitionSpecs { get; init; }
    /// <summary>default-spec-id</summary>
    public int DefaultSpecId { get; init; }
    /// <summary>last-partition-id</summary>
    public int LastPartitionId { get; init; }
    /// <summary>properties</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
    /// <summary>current-snapshot-id (null when the table has none).</summary>
    public long? CurrentSnapshotId { get; init; }
    /// <summary>snapshots</summary>
    public IReadOnlyList<Snapshot> Snapshots { get; init; } = Array.Empty<Snapshot>();
    /// <summary>snapshot-log</summary>
    public IReadOnlyList<SnapshotLogEntry> SnapshotLog { get; init; } = Array.Empty<SnapshotLogEntry>();
    /// <summary>metadata-log</summary>
    public IReadOnlyList<MetadataLogEntry> MetadataLog { get; init; } = Array.Empty<MetadataLogEntry>();
    /// <summary>sort-orders</summary>
    public IReadOnlyList<SortOrder> SortOrders { get; init; } = new[] { SortOrder.Unsorted };
    /// <summary>default-sort-order-id</summary>
    public int DefaultSortOrderId { get; init; }
    /// <summary>refs: named branches and tags (main included when the table has a current snapshot).</summary>
    public IReadOnlyDictionary<string, SnapshotRef> Refs { get; init; } = new Dictionary<string, SnapshotRef>();
    /// <summary>next-row-id (v3 only).</summary>
    public long? NextRowId { get; init; }

    /// <summary>The current schema.</summary>
    public Schema CurrentSchema => SchemaById(CurrentSchemaId);

    /// <summary>The default partition spec.</summary>
    public PartitionSpec DefaultSpec => SpecById(DefaultSpecId);

    /// <summary>The current snapshot of main, or null for an empty table.</summary>
    public Snapshot? CurrentSnapshot => CurrentSnapshotId is { } id ? SnapshotById(id) : null;

    /// <summary>A schema by id; throws when missing.</summary>
    public Schema SchemaById(int id) =>
        Schemas.FirstOrDefault(s => s.SchemaId == id) ?? throw Floe.Core.Errors.Errors.InvalidData($"schema {id} is not in the table metadata");

    /// <summary>A partition spec by id; throws when missing.</summary>
    public PartitionSpec SpecById(int id) =>
        PartitionSpecs.FirstOrDefault(s => s.SpecId == id) ?? throw Floe.Core.Errors.Errors.InvalidData($"partition spec {id} is not in the table metadata");

    /// <summary>
    /// The partition spec a manifest list entry names; throws naming the manifest list and the manifest when the
    /// table has no spec of that id (a damaged or foreign list).
    /// </summary>
    public PartitionSpec SpecOf(ManifestFile manifest, string manifestList)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return PartitionSpecs.FirstOrDefault(s => s.SpecId == manifest.PartitionSpecId) ?? throw Floe.Core.Errors.Errors.InvalidData(
            $"{manifestList}: manifest {manifest.ManifestPath} names partition spec {manifest.PartitionSpecId}, which is not in the table metadata");
    }

    /// <summary>A snapshot by id, or null.</summary>
    public Snapshot? SnapshotById(long id)
    {
        foreach (var s in Snapshots)
        {
            if (s.SnapshotId == id) return s;
        }
        return null;
    }

    /// <summary>The snapshot a ref points at, or null when the ref does not exist.</summary>
    public Snapshot? SnapshotForRef(string name)
    {
        if (Refs.TryGetValue(name, out var r)) return SnapshotById(r.SnapshotId);
        // Tables without a refs map (v1, some v2 writers) still have an implicit main.
        return name == SnapshotRef.MainBranch ? CurrentSnapshot : null;
    }
}
