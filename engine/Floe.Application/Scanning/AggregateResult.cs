using System.Globalization;
using System.Text.Json;
using Floe.Core.Json;
using Floe.Core.Types;
using Floe.Formats.Output;
using Floe.Iceberg.Scan;

namespace Floe.Application.Scanning;

/// <summary>What an aggregate scan computed, and how much of it came from statistics.</summary>
/// <param name="Aggregates">The values and how they were found.</param>
/// <param name="SnapshotId">The snapshot read (null for a table without snapshots).</param>
/// <param name="Metrics">What planning skipped.</param>
public sealed record AggregateResult(ScanAggregates Aggregates, long? SnapshotId, ScanMetrics Metrics)
{
    /// <summary>The values, in the order asked.</summary>
    public IReadOnlyList<AggregateValue> Values => Aggregates.Values;

    /// <summary>
    /// Writes the text <c>floe scan --agg</c> prints: a CSV header of the calls as written and one row of values
    /// (empty for SQL NULL; dates and timestamps in ISO-8601, doubles round-trip exact).
    /// </summary>
    public void WriteText(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        for (var i = 0; i < Values.Count; i++) writer.Write((i > 0 ? "," : "") + Values[i].Call);
        writer.WriteLine();
        for (var i = 0; i < Values.Count; i++) writer.Write((i > 0 ? "," : "") + Text(Values[i]));
        writer.WriteLine();
    }

    /// <summary>
    /// Writes the JSON object every face gives (<c>floe scan --agg ... --json</c>, <c>floe_scan_aggregate</c>):
    /// <c>aggregates</c>, an array of <c>{name, type, value}</c> in the order asked (numbers as JSON numbers, NaN and
    /// infinities, dates and timestamps as strings, SQL NULL as null), then the snapshot and what was answered from
    /// statistics (<c>files_from_statistics</c>, <c>row_groups_from_statistics</c>, <c>row_groups_decoded</c>,
    /// <c>files_with_deletes</c>) and what planning skipped.
    /// </summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteStartArray("aggregates");
        foreach (var value in Values)
        {
            json.WriteStartObject();
            json.WriteString("name", value.Call.ToString());
            json.WriteString("type", value.Type.ToString());
            json.WritePropertyName("value");
            switch (value.Value)
            {
                case null:
                    json.WriteNullValue();
                    break;
                case long l when value.Type.Id == TypeId.Long:
                    json.WriteNumberValue(l);
                    break;
                case int i when value.Type.Id == TypeId.Int:
                    json.WriteNumberValue(i);
                    break;
                case decimal m:
                    json.WriteNumberValue(m);
                    break;
                case double d when double.IsFinite(d):
                    json.WriteNumberValue(d);
                    break;
                case float f when float.IsFinite(f):
                    json.WriteNumberValue(f);
                    break;
                default:
                    json.WriteStringValue(Text(value));
                    break;
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumberOrNull("snapshot_id", SnapshotId);
        json.WriteNumber("files_from_statistics", Aggregates.FilesFromStatistics);
        json.WriteNumber("row_groups_from_statistics", Aggregates.RowGroupsFromStatistics);
        json.WriteNumber("row_groups_decoded", Aggregates.RowGroupsDecoded);
        json.WriteNumber("files_with_deletes", Aggregates.FilesWithDeletes);
        json.WriteNumber("data_files", Metrics.TotalDataFiles);
        json.WriteNumber("data_files_skipped", Metrics.SkippedDataFiles);
        json.WriteNumber("delete_files", Metrics.DeleteFiles);
        json.WriteEndObject();
    }

    private static string Text(AggregateValue value) => value.Value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => ValueText.Format(value.Value, value.Type),
    };
}
