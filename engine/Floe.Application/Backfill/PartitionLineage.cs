namespace Floe.Application.Backfill;

/// <summary>Where the rows of one partition of a table come from, as of one snapshot.</summary>
/// <param name="Partition">The partition in human form (e.g. <c>2023-01-01</c> for a day partition; empty when unpartitioned).</param>
/// <param name="Rows">Rows in the partition's live data files.</param>
/// <param name="Files">Live data files.</param>
/// <param name="SnapshotId">The snapshot that last wrote the partition (the latest of those that added its live files).</param>
/// <param name="TimestampMs">When that snapshot was committed (epoch ms); null when it has been expired.</param>
/// <param name="Operation">That snapshot's operation; null when it has been expired.</param>
/// <param name="WriterSnapshotIds">Every snapshot that added one of the live files, oldest first (one after a backfill).</param>
/// <param name="Lineage">That snapshot's <c>floe.*</c> summary properties (empty for writers other than backfill).</param>
public sealed record PartitionLineage(
    string Partition,
    long Rows,
    int Files,
    long SnapshotId,
    long? TimestampMs,
    string? Operation,
    IReadOnlyList<long> WriterSnapshotIds,
    IReadOnlyDictionary<string, string> Lineage);
