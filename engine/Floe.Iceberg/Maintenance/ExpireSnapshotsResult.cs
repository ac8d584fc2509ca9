namespace Floe.Iceberg.Maintenance;

/// <summary>What <see cref="ExpireSnapshots"/> removed (or, for a dry run, would remove).</summary>
public sealed record ExpireSnapshotsResult(
    IReadOnlyList<long> ExpiredSnapshotIds,
    IReadOnlyList<string> RemovedRefs,
    IReadOnlyList<string> DeletedManifestLists,
    IReadOnlyList<string> DeletedManifests,
    IReadOnlyList<string> DeletedDataFiles,
    IReadOnlyList<string> DeletedDeleteFiles,
    bool DryRun);
