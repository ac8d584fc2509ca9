namespace Floe.Iceberg.Maintenance;

/// <summary>
/// What <see cref="ExpireSnapshots"/> removed (or, for a dry run, would remove). <c>FilesKept</c>: the snapshots
/// were expired but their files left in place, because the table was registered and not opened for deletion.
/// </summary>
public sealed record ExpireSnapshotsResult(
    IReadOnlyList<long> ExpiredSnapshotIds,
    IReadOnlyList<string> RemovedRefs,
    IReadOnlyList<string> DeletedManifestLists,
    IReadOnlyList<string> DeletedManifests,
    IReadOnlyList<string> DeletedDataFiles,
    IReadOnlyList<string> DeletedDeleteFiles,
    bool DryRun,
    bool FilesKept = false);
