using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Scan;

/// <summary>One data file to read, with the delete files that apply to it (already matched by sequence number and partition).</summary>
public sealed record FileScanTask(DataFile File, long DataSequenceNumber, IReadOnlyList<DataFile> Deletes);

/// <summary>What planning did: how many manifests and files it looked at and how many it could skip.</summary>
public sealed record ScanMetrics
{
    /// <summary>Manifests listed by the snapshot.</summary>
    public int TotalManifests { get; init; }
    /// <summary>Manifests skipped by their partition summaries.</summary>
    public int SkippedManifests { get; init; }
    /// <summary>Live data files in the opened manifests.</summary>
    public int TotalDataFiles { get; init; }
    /// <summary>Data files skipped by partition values or column bounds.</summary>
    public int SkippedDataFiles { get; init; }
    /// <summary>Delete files that apply to at least one planned data file.</summary>
    public int DeleteFiles { get; init; }
}
