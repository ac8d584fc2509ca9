using System.Text.Json;
using Floe.Core.Json;

namespace Floe.Application.Scanning;

/// <summary>What a scan read.</summary>
public sealed record ScanResult(long Rows, long? SnapshotId, Floe.Iceberg.Scan.ScanMetrics Metrics)
{
    /// <summary>Machine-readable JSON: the rows, the snapshot and how much planning pruned.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("rows", Rows);
        json.WriteNumberOrNull("snapshot_id", SnapshotId);
        json.WriteNumber("manifests", Metrics.TotalManifests);
        json.WriteNumber("manifests_skipped", Metrics.SkippedManifests);
        json.WriteNumber("data_files", Metrics.TotalDataFiles);
        json.WriteNumber("data_files_skipped", Metrics.SkippedDataFiles);
        json.WriteNumber("delete_files", Metrics.DeleteFiles);
        json.WriteEndObject();
    }
}
