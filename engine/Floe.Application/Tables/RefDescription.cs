using System.Globalization;
using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Core.Json;

namespace Floe.Application.Tables;

/// <summary>One line of <c>floe branch list</c> / <c>floe tag list</c>: a ref, its retention and the snapshot it points at.</summary>
public sealed record RefDescription(string Name, SnapshotRef Ref, Snapshot? Snapshot)
{
    /// <summary>Describes ref <paramref name="name"/> of <paramref name="metadata"/>.</summary>
    public static RefDescription Of(string name, SnapshotRef reference, TableMetadata metadata) =>
        new(name, reference, metadata.SnapshotById(reference.SnapshotId));

    /// <summary>"branch" or "tag".</summary>
    public string Kind => Ref.Type == SnapshotRefType.Tag ? "tag" : "branch";

    /// <summary>Human-readable text.</summary>
    public string ToText()
    {
        var text = $"{Name,-20} {Kind,-6} {Ref.SnapshotId,20}";
        if (Snapshot is not null)
        {
            text += $"  {DateTimeOffset.FromUnixTimeMilliseconds(Snapshot.TimestampMs):yyyy-MM-dd HH:mm:ss.fff}  {Snapshot.Operation,-9} records {Snapshot.Summary.GetValueOrDefault("total-records", "?")}";
        }
        var retention = new List<string>();
        if (Ref.MinSnapshotsToKeep is { } min) retention.Add($"min-snapshots-to-keep={min.ToString(CultureInfo.InvariantCulture)}");
        if (Ref.MaxSnapshotAgeMs is { } age) retention.Add($"max-snapshot-age-ms={age.ToString(CultureInfo.InvariantCulture)}");
        if (Ref.MaxRefAgeMs is { } refAge) retention.Add($"max-ref-age-ms={refAge.ToString(CultureInfo.InvariantCulture)}");
        return retention.Count > 0 ? text + "  [" + string.Join(", ", retention) + "]" : text;
    }

    /// <summary>Machine-readable JSON.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteString("type", Kind);
        json.WriteNumber("snapshot_id", Ref.SnapshotId);
        if (Snapshot is not null)
        {
            json.WriteNumber("timestamp_ms", Snapshot.TimestampMs);
            json.WriteString("operation", Snapshot.Operation);
        }
        json.WriteNumberOrNull("min_snapshots_to_keep", Ref.MinSnapshotsToKeep);
        json.WriteNumberOrNull("max_snapshot_age_ms", Ref.MaxSnapshotAgeMs);
        json.WriteNumberOrNull("max_ref_age_ms", Ref.MaxRefAgeMs);
        json.WriteEndObject();
    }
}
