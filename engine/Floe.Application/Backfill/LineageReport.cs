using System.Globalization;
using System.Text.Json;

namespace Floe.Application.Backfill;

/// <summary>The lineage of every partition of a table at one snapshot.</summary>
/// <param name="Table">The table.</param>
/// <param name="SnapshotId">The snapshot inspected.</param>
/// <param name="Partitions">One entry per partition holding live data files, in partition order.</param>
public sealed record LineageReport(string Table, long SnapshotId, IReadOnlyList<PartitionLineage> Partitions)
{
    /// <summary>Writes the report as the JSON object every face prints (<c>floe lineage --json</c>, <c>floe_lineage_describe</c>).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("table", Table);
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteStartArray("partitions");
        foreach (var p in Partitions)
        {
            json.WriteStartObject();
            json.WriteString("partition", p.Partition);
            json.WriteNumber("rows", p.Rows);
            json.WriteNumber("files", p.Files);
            json.WriteNumber("snapshot_id", p.SnapshotId);
            if (p.TimestampMs is { } ts) json.WriteString("committed_at", DateTimeOffset.FromUnixTimeMilliseconds(ts).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            else json.WriteNull("committed_at");
            json.WriteString("operation", p.Operation);
            json.WriteStartArray("writer_snapshot_ids");
            foreach (var id in p.WriterSnapshotIds) json.WriteNumberValue(id);
            json.WriteEndArray();
            json.WriteStartObject("lineage");
            foreach (var (k, v) in p.Lineage.OrderBy(x => x.Key, StringComparer.Ordinal)) json.WriteString(k, v);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
