using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>Pure functions that derive new table metadata from old (no I/O).</summary>
public static class MetadataUpdates
{
    /// <summary>
    /// Adds <paramref name="snapshot"/> and points <paramref name="branch"/> at it; when the branch is main also
    /// moves current-snapshot-id and appends to the snapshot log.
    /// </summary>
    public static TableMetadata AddSnapshot(TableMetadata metadata, Snapshot snapshot, string branch, long nowMs)
    {
        var snapshots = new List<Snapshot>(metadata.Snapshots) { snapshot };
        var refs = new Dictionary<string, SnapshotRef>(metadata.Refs, StringComparer.Ordinal);
        refs[branch] = refs.TryGetValue(branch, out var existing)
            ? existing with { SnapshotId = snapshot.SnapshotId }
            : new SnapshotRef(snapshot.SnapshotId, SnapshotRefType.Branch);
        var result = metadata with
        {
            Snapshots = snapshots,
            Refs = refs,
            LastSequenceNumber = Math.Max(metadata.LastSequenceNumber, snapshot.SequenceNumber),
            LastUpdatedMs = nowMs,
        };
        return branch == SnapshotRef.MainBranch ? SetMain(result, snapshot.SnapshotId, nowMs) : result;
    }

    /// <summary>Makes <paramref name="snapshotId"/> the current snapshot of main, logging the change.</summary>
    public static TableMetadata SetMain(TableMetadata metadata, long snapshotId, long nowMs)
    {
        var refs = new Dictionary<string, SnapshotRef>(metadata.Refs, StringComparer.Ordinal);
        refs[SnapshotRef.MainBranch] = refs.TryGetValue(SnapshotRef.MainBranch, out var main)
            ? main with { SnapshotId = snapshotId }
            : new SnapshotRef(snapshotId, SnapshotRefType.Branch);
        return metadata with
        {
            Refs = refs,
            CurrentSnapshotId = snapshotId,
            SnapshotLog = new List<SnapshotLogEntry>(metadata.SnapshotLog) { new(nowMs, snapshotId) },
            LastUpdatedMs = nowMs,
        };
    }
}
