using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>
/// A snapshot: the table state after one commit. <paramref name="Summary"/> holds <c>operation</c> plus the
/// spec's metrics (added-data-files, total-records, ...) and caller properties (lineage such as floe.code-version).
/// </summary>
public sealed record Snapshot(
    long SnapshotId,
    long? ParentSnapshotId,
    long SequenceNumber,
    long TimestampMs,
    string ManifestList,
    IReadOnlyDictionary<string, string> Summary,
    int? SchemaId)
{
    /// <summary>The snapshot's operation: append, replace, overwrite or delete.</summary>
    public string Operation => Summary.TryGetValue("operation", out var op) ? op : "append";

    /// <summary>first-row-id (v3 row lineage): the first row id assigned by this snapshot; null before v3.</summary>
    public long? FirstRowId { get; init; }

    /// <summary>added-rows (v3 row lineage): upper bound of rows given row ids by this snapshot; null before v3.</summary>
    public long? AddedRows { get; init; }

    /// <summary>Structural equality (summary compared by content).</summary>
    public bool Equals(Snapshot? other) =>
        other is not null && SnapshotId == other.SnapshotId && ParentSnapshotId == other.ParentSnapshotId &&
        SequenceNumber == other.SequenceNumber && TimestampMs == other.TimestampMs &&
        ManifestList == other.ManifestList && SchemaId == other.SchemaId &&
        FirstRowId == other.FirstRowId && AddedRows == other.AddedRows &&
        Summary.Count == other.Summary.Count &&
        Summary.All(kv => other.Summary.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => SnapshotId.GetHashCode();
}

/// <summary>Kind of a named reference.</summary>
public enum SnapshotRefType
{
    /// <summary>A branch: moves with commits.</summary>
    Branch,
    /// <summary>A tag: fixed label of one snapshot.</summary>
    Tag,
}

/// <summary>A named reference (branch or tag) with the spec's retention settings.</summary>
public sealed record SnapshotRef(
    long SnapshotId,
    SnapshotRefType Type,
    int? MinSnapshotsToKeep = null,
    long? MaxSnapshotAgeMs = null,
    long? MaxRefAgeMs = null)
{
    /// <summary>The name of the main branch.</summary>
    public const string MainBranch = "main";
}

/// <summary>An entry of the snapshot log: which snapshot became current on main, and when.</summary>
public sealed record SnapshotLogEntry(long TimestampMs, long SnapshotId);

/// <summary>An entry of the metadata log: a previous metadata file.</summary>
public sealed record MetadataLogEntry(long TimestampMs, string MetadataFile);
