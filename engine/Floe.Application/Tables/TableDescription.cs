using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Application.Tables;

/// <summary>What <c>floe table show</c> prints: schema, partition spec, current snapshot, metadata location.</summary>
public sealed record TableDescription(
    string Name,
    string MetadataLocation,
    string Location,
    int FormatVersion,
    Schema Schema,
    PartitionSpec Spec,
    Snapshot? CurrentSnapshot,
    IReadOnlyDictionary<string, SnapshotRef> Refs,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Describes a loaded table.</summary>
    public static TableDescription Of(Table table) => new(
        table.Identifier.ToString(), table.MetadataLocation, table.Metadata.Location, table.Metadata.FormatVersion,
        table.Schema, table.Spec, table.Metadata.CurrentSnapshot, table.Metadata.Refs, table.Metadata.Properties);

    /// <summary>Human-readable text.</summary>
    public string ToText()
    {
        var lines = new List<string>
        {
            $"table:     {Name}",
            $"format:    v{FormatVersion}",
            $"location:  {Location}",
            $"metadata:  {MetadataLocation}",
            "schema:",
        };
        lines.AddRange(Schema.Fields.Select(f => $"  {f.Id,4}  {f.Name}: {f.Type}{(f.Required ? " not null" : "")}"));
        lines.Add("partition spec:" + (Spec.Fields.Count == 0 ? " unpartitioned" : ""));
        lines.AddRange(Spec.Fields.Select(f => $"  {f.FieldId}  {f.Name} = {f.Transform}({Schema.FindColumnName(f.SourceId) ?? f.SourceId.ToString(System.Globalization.CultureInfo.InvariantCulture)})"));
        lines.Add(CurrentSnapshot is null
            ? "current snapshot: none"
            : $"current snapshot: {CurrentSnapshot.SnapshotId} ({CurrentSnapshot.Operation}, {DateTimeOffset.FromUnixTimeMilliseconds(CurrentSnapshot.TimestampMs):yyyy-MM-dd HH:mm:ss} UTC, {CurrentSnapshot.Summary.GetValueOrDefault("total-records", "?")} records)");
        if (Refs.Count > 0)
        {
            lines.Add("refs:");
            lines.AddRange(Refs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"  {r.Key} ({r.Value.Type.ToString().ToLowerInvariant()}) -> {r.Value.SnapshotId}"));
        }
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Machine-readable JSON.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteString("metadata_location", MetadataLocation);
        json.WriteString("location", Location);
        json.WriteNumber("format_version", FormatVersion);
        json.WritePropertyName("schema");
        using (var schema = JsonDocument.Parse(SchemaParser.ToJson(Schema))) schema.WriteTo(json);
        json.WritePropertyName("partition_spec");
        using (var spec = JsonDocument.Parse(PartitionSpecParser.ToJson(Spec))) spec.WriteTo(json);
        if (CurrentSnapshot is null) json.WriteNull("current_snapshot_id");
        else json.WriteNumber("current_snapshot_id", CurrentSnapshot.SnapshotId);
        json.WriteStartObject("refs");
        foreach (var (name, r) in Refs)
        {
            json.WriteStartObject(name);
            json.WriteString("type", r.Type == SnapshotRefType.Branch ? "branch" : "tag");
            json.WriteNumber("snapshot_id", r.SnapshotId);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteStartObject("properties");
        foreach (var (k, v) in Properties) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
