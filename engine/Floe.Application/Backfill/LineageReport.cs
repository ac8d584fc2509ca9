namespace Floe.Application.Backfill;

/// <summary>The lineage of every partition of a table at one snapshot.</summary>
/// <param name="Table">The table.</param>
/// <param name="SnapshotId">The snapshot inspected.</param>
/// <param name="Partitions">One entry per partition holding live data files, in partition order.</param>
public sealed record LineageReport(string Table, long SnapshotId, IReadOnlyList<PartitionLineage> Partitions);
