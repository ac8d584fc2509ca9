using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Core.Json;

namespace Floe.Application.Tables;

/// <summary>One line of <c>floe snapshots</c>.</summary>
public sealed record SnapshotDescription(Snapshot Snapshot, IReadOnlyList<string> Refs, bool IsCurrent)
{
    /// <summary>Describes <paramref name="snapshot"/> within <paramref name="metadata"/>.</summary>
    public static SnapshotDescription Of(Snapshot snapshot, TableMetadata metadata) => new(
        snapshot,
        metadata.Refs.Where(r => r.Value.SnapshotId == snapshot.SnapshotId).Select(r => r.Key).OrderBy(n => n, StringComparer.Ordinal).ToList(),
        metadata.CurrentSnapshotId == snapshot.SnapshotId);

    /// <summary>Human-readable text.</summary>
    public string ToText() =>
        $"{Snapshot.SnapshotId,20}  seq {Snapshot.SequenceNumber,-4} {DateTimeOffset.FromUnixTimeMilliseconds(Snapshot.TimestampMs):yyyy-MM-dd HH:mm:ss.fff}  {Snapshot.Operation,-9}" +
        $" parent {(Snapshot.ParentSnapshotId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),20}" +
        $"  records {Snapshot.Summary.GetValueOrDefault("total-records", "?")}" +
        (Refs.Count > 0 ? "  [" + string.Join(", ", Refs) + "]" : "") + (IsCurrent ? "  *current" : "");

    /// <summary>Machine-readable JSON.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("snapshot_id", Snapshot.SnapshotId);
        json.WriteNumberOrNull("parent_snapshot_id", Snapshot.ParentSnapshotId);
        json.WriteNumber("sequence_number", Snapshot.SequenceNumber);
        json.WriteNumber("timestamp_ms", Snapshot.TimestampMs);
        json.WriteString("operation", Snapshot.Operation);
        json.WriteString("manifest_list", Snapshot.ManifestList);
        json.WriteBoolean("current", IsCurrent);
        json.WriteStartArray("refs");
        foreach (var r in Refs) json.WriteStringValue(r);
        json.WriteEndArray();
        json.WriteStartObject("summary");
        foreach (var (k, v) in Snapshot.Summary) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
