namespace Floe.Iceberg.Maintenance;

/// <summary>What <see cref="RewriteDataFiles"/> did.</summary>
/// <param name="SnapshotId">The <c>replace</c> snapshot committed, or null when nothing needed rewriting.</param>
/// <param name="RewrittenPartitions">Partitions whose small files were rewritten.</param>
/// <param name="RewrittenFiles">Data files replaced.</param>
/// <param name="AddedFiles">Data files written in their place.</param>
/// <param name="RewrittenBytes">Total size of the replaced files.</param>
/// <param name="AddedBytes">Total size of the new files.</param>
/// <param name="Rows">Rows copied.</param>
/// <param name="RemovedDeleteFiles">Position delete files and deletion vectors removed because every data file they applied to was rewritten.</param>
public sealed record RewriteDataFilesResult(long? SnapshotId, int RewrittenPartitions, int RewrittenFiles, int AddedFiles, long RewrittenBytes, long AddedBytes, long Rows,
    int RemovedDeleteFiles = 0);
