using System.Buffers;
using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Spec.Serde;

using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>
/// Reads table metadata JSON of format v1, v2 and v3, and writes v2 or v3 (v1 tables are written in v1 form with
/// the legacy <c>schema</c>/<c>partition-spec</c> keys kept for old readers). AOT-clean: only
/// <see cref="Utf8JsonWriter"/> and <see cref="JsonDocument"/>.
/// </summary>
public static partial class TableMetadataParser
{
    /// <summary>The highest table format version Floe reads and writes.</summary>
    public const int SupportedFormatVersion = 3;

    /// <summary>
    /// Serializes <paramref name="metadata"/> with every field its format version requires. No current snapshot is
    /// written as <c>-1</c> (v1/v2) or <c>null</c> (v3), as the reference implementation does. Properties and summaries
    /// keep their dictionary order.
    /// </summary>
    public static string ToJson(TableMetadata metadata, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(w, metadata);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Serializes <paramref name="metadata"/> as compact UTF-8 JSON, the form commits write. Snapshots are
    /// immutable, so each one's JSON is encoded once and reused by later commits: a table with thousands of
    /// snapshots then costs a copy per snapshot instead of a re-encode.
    /// </summary>
    public static byte[] ToUtf8Json(TableMetadata metadata)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024 + metadata.Snapshots.Count * 512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            Write(w, metadata);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the UTF-8 JSON of <paramref name="metadata"/> to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, TableMetadata metadata)
    {
        var m = metadata;
        var v = m.FormatVersion;
        if (v is < 1 or > SupportedFormatVersion)
        {
            throw Errors.Unsupported($"cannot write table metadata of format-version {v} (Floe writes 1 to {SupportedFormatVersion})");
        }
        if (v == 3 && m.NextRowId is null)
        {
            throw Errors.InvalidArgument("next-row-id must be set to write format v3 table metadata");
        }
        var w = writer;
        w.WriteStartObject();
        w.WriteNumber("format-version", v);
        w.WriteString("table-uuid", m.TableUuid.ToString("D"));
        w.WriteString("location", m.Location);
        if (v > 1) w.WriteNumber("last-sequence-number", m.LastSequenceNumber);
        w.WriteNumber("last-updated-ms", m.LastUpdatedMs);
        w.WriteNumber("last-column-id", m.LastColumnId);
        if (v == 1)
        {
            w.WritePropertyName("schema");
            SchemaParser.Write(w, m.CurrentSchema);
        }
        w.WriteNumber("current-schema-id", m.CurrentSchemaId);
        w.WriteStartArray("schemas");
        foreach (var s in m.Schemas) SchemaParser.Write(w, s);
        w.WriteEndArray();
        if (v == 1)
        {
            w.WritePropertyName("partition-spec");
            PartitionSpecParser.WriteFields(w, m.DefaultSpec.Fields);
        }
        w.WriteNumber("default-spec-id", m.DefaultSpecId);
        w.WriteStartArray("partition-specs");
        foreach (var p in m.PartitionSpecs) PartitionSpecParser.Write(w, p);
        w.WriteEndArray();
        w.WriteNumber("last-partition-id", m.LastPartitionId);
        w.WriteNumber("default-sort-order-id", m.DefaultSortOrderId);
        w.WriteStartArray("sort-orders");
        foreach (var o in m.SortOrders) SnapshotJson.WriteSortOrder(w, o);
        w.WriteEndArray();
        w.WriteStartObject("properties");
        foreach (var kv in m.Properties) w.WriteString(kv.Key, kv.Value);
        w.WriteEndObject();
        if (m.CurrentSnapshotId is { } current) w.WriteNumber("current-snapshot-id", current);
        else if (v >= 3) w.WriteNull("current-snapshot-id");
        else w.WriteNumber("current-snapshot-id", -1);
        if (v >= 3) w.WriteNumber("next-row-id", m.NextRowId!.Value);
        w.WriteStartObject("refs");
        foreach (var kv in EffectiveRefs(m))
        {
            w.WritePropertyName(kv.Key);
            SnapshotJson.WriteRef(w, kv.Value);
        }
        w.WriteEndObject();
        w.WriteStartArray("snapshots");
        foreach (var s in m.Snapshots)
        {
            if (w.Options.Indented) SnapshotJson.WriteSnapshot(w, s, v);
            else w.WriteRawValue(SnapshotJson.CompactSnapshot(s, v), skipInputValidation: true);
        }
        w.WriteEndArray();
        w.WriteStartArray("snapshot-log");
        foreach (var e in m.SnapshotLog)
        {
            w.WriteStartObject();
            w.WriteNumber("timestamp-ms", e.TimestampMs);
            w.WriteNumber("snapshot-id", e.SnapshotId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("metadata-log");
        foreach (var e in m.MetadataLog)
        {
            w.WriteStartObject();
            w.WriteNumber("timestamp-ms", e.TimestampMs);
            w.WriteString("metadata-file", e.MetadataFile);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // The spec says main always exists when there is a current snapshot, so it is written even if the caller's map
    // left it implicit; that keeps readers that only look at refs (Rust, PyIceberg) in agreement with Java.
    private static IEnumerable<KeyValuePair<string, SnapshotRef>> EffectiveRefs(TableMetadata m)
    {
        if (m.CurrentSnapshotId is { } current && !m.Refs.ContainsKey(SnapshotRef.MainBranch))
        {
            yield return new(SnapshotRef.MainBranch, new SnapshotRef(current, SnapshotRefType.Branch));
        }
        foreach (var kv in m.Refs) yield return kv;
    }
}
