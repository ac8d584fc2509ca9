using System.Text.Json;
using Floe.Core.Json;
using Floe.Core.Errors;

using Floe.Core.Types;

namespace Floe.Iceberg.Spec.Serde;

/// <summary>JSON of snapshots, refs, log entries and sort orders inside table metadata (spec Appendix C).</summary>
internal static class SnapshotJson
{
    // Snapshots are immutable records, so their compact JSON is computed once per instance (per format version)
    // and dropped with the instance.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Snapshot, CompactJson> Compact = new();

    private sealed class CompactJson
    {
        public required int FormatVersion { get; init; }
        public required byte[] Utf8 { get; init; }
    }

    /// <summary>The compact UTF-8 JSON of <paramref name="s"/> (cached per snapshot instance).</summary>
    public static byte[] CompactSnapshot(Snapshot s, int formatVersion)
    {
        if (Compact.TryGetValue(s, out var cached) && cached.FormatVersion == formatVersion) return cached.Utf8;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteSnapshot(w, s, formatVersion);
        }
        var json = new CompactJson { FormatVersion = formatVersion, Utf8 = buffer.WrittenSpan.ToArray() };
        Compact.AddOrUpdate(s, json);
        return json.Utf8;
    }

    public static void WriteSnapshot(Utf8JsonWriter w, Snapshot s, int formatVersion)
    {
        w.WriteStartObject();
        if (formatVersion > 1) w.WriteNumber("sequence-number", s.SequenceNumber);
        w.WriteNumber("snapshot-id", s.SnapshotId);
        if (s.ParentSnapshotId is { } parent) w.WriteNumber("parent-snapshot-id", parent);
        w.WriteNumber("timestamp-ms", s.TimestampMs);
        w.WriteStartObject("summary");
        // The spec makes operation required, so it is always written (first, as the reference implementation does).
        w.WriteString("operation", s.Operation);
        foreach (var kv in s.Summary)
        {
            if (kv.Key != "operation") w.WriteString(kv.Key, kv.Value);
        }
        w.WriteEndObject();
        w.WriteString("manifest-list", s.ManifestList);
        if (s.SchemaId is { } schemaId) w.WriteNumber("schema-id", schemaId);
        if (s.FirstRowId is { } first) w.WriteNumber("first-row-id", first);
        if (s.AddedRows is { } added) w.WriteNumber("added-rows", added);
        w.WriteEndObject();
    }

    public static Snapshot ReadSnapshot(JsonElement e, int formatVersion, string src, string at)
    {
        JsonRead.ExpectObject(e, src, at.TrimEnd('.'));
        var id = JsonRead.RequiredLong(e, "snapshot-id", src, at);
        var seq = formatVersion > 1
            ? JsonRead.RequiredLong(e, "sequence-number", src, at)
            : JsonRead.OptionalLong(e, "sequence-number", src, at) ?? 0;
        var manifestList = JsonRead.OptionalString(e, "manifest-list", src, at);
        if (manifestList is null)
        {
            if (formatVersion == 1 && JsonRead.Has(e, "manifests"))
            {
                throw Errors.Unsupported($"{src}: {at}manifests: v1 snapshots that list manifests without a manifest-list are not supported");
            }
            throw Errors.InvalidData(src, $"{at}manifest-list is missing");
        }
        if (formatVersion > 1 && !JsonRead.Has(e, "summary"))
        {
            throw Errors.InvalidData(src, $"{at}summary must exist in format v{formatVersion}");
        }
        return new Snapshot(
            id,
            JsonRead.OptionalLong(e, "parent-snapshot-id", src, at),
            seq,
            JsonRead.RequiredLong(e, "timestamp-ms", src, at),
            manifestList,
            JsonRead.StringMap(e, "summary", src, at),
            JsonRead.OptionalInt(e, "schema-id", src, at))
        {
            FirstRowId = JsonRead.OptionalLong(e, "first-row-id", src, at),
            AddedRows = JsonRead.OptionalLong(e, "added-rows", src, at),
        };
    }

    public static void WriteRef(Utf8JsonWriter w, SnapshotRef r)
    {
        w.WriteStartObject();
        w.WriteNumber("snapshot-id", r.SnapshotId);
        w.WriteString("type", r.Type == SnapshotRefType.Tag ? "tag" : "branch");
        if (r.MinSnapshotsToKeep is { } min) w.WriteNumber("min-snapshots-to-keep", min);
        if (r.MaxSnapshotAgeMs is { } maxSnap) w.WriteNumber("max-snapshot-age-ms", maxSnap);
        if (r.MaxRefAgeMs is { } maxRef) w.WriteNumber("max-ref-age-ms", maxRef);
        w.WriteEndObject();
    }

    public static SnapshotRef ReadRef(JsonElement e, string src, string at)
    {
        JsonRead.ExpectObject(e, src, at.TrimEnd('.'));
        var type = JsonRead.RequiredString(e, "type", src, at);
        var kind = type.ToLowerInvariant() switch
        {
            "branch" => SnapshotRefType.Branch,
            "tag" => SnapshotRefType.Tag,
            _ => throw Errors.InvalidData(src, $"{at}type must be \"branch\" or \"tag\", found \"{type}\""),
        };
        return new SnapshotRef(
            JsonRead.RequiredLong(e, "snapshot-id", src, at),
            kind,
            JsonRead.OptionalInt(e, "min-snapshots-to-keep", src, at),
            JsonRead.OptionalLong(e, "max-snapshot-age-ms", src, at),
            JsonRead.OptionalLong(e, "max-ref-age-ms", src, at));
    }

    public static void WriteSortOrder(Utf8JsonWriter w, SortOrder order)
    {
        w.WriteStartObject();
        w.WriteNumber("order-id", order.OrderId);
        w.WriteStartArray("fields");
        foreach (var f in order.Fields)
        {
            w.WriteStartObject();
            w.WriteString("transform", f.Transform.ToString());
            w.WriteNumber("source-id", f.SourceId);
            w.WriteString("direction", f.Direction == SortDirection.Asc ? "asc" : "desc");
            w.WriteString("null-order", f.NullOrder == NullOrder.NullsFirst ? "nulls-first" : "nulls-last");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static SortOrder ReadSortOrder(JsonElement e, string src, string at)
    {
        JsonRead.ExpectObject(e, src, at.TrimEnd('.'));
        var id = JsonRead.RequiredInt(e, "order-id", src, at);
        var arr = JsonRead.RequiredArray(e, "fields", src, at);
        var fields = new List<SortField>();
        var i = 0;
        foreach (var f in arr.EnumerateArray())
        {
            var fat = JsonRead.Index(at, "fields", i++);
            JsonRead.ExpectObject(f, src, fat.TrimEnd('.'));
            Transform transform;
            try
            {
                transform = Transform.Parse(JsonRead.RequiredString(f, "transform", src, fat));
            }
            catch (FloeException ex) when (ex.Code == FloeErrorCode.InvalidArgument)
            {
                throw Errors.InvalidData(src, $"{fat}transform: {ex.Message}", ex);
            }
            var sourceId = JsonRead.Has(f, "source-id")
                ? JsonRead.RequiredInt(f, "source-id", src, fat)
                : SingleSourceId(f, src, fat);
            var direction = JsonRead.RequiredString(f, "direction", src, fat) switch
            {
                "asc" => SortDirection.Asc,
                "desc" => SortDirection.Desc,
                var d => throw Errors.InvalidData(src, $"{fat}direction must be \"asc\" or \"desc\", found \"{d}\""),
            };
            var nulls = JsonRead.RequiredString(f, "null-order", src, fat) switch
            {
                "nulls-first" => NullOrder.NullsFirst,
                "nulls-last" => NullOrder.NullsLast,
                var n => throw Errors.InvalidData(src, $"{fat}null-order must be \"nulls-first\" or \"nulls-last\", found \"{n}\""),
            };
            fields.Add(new SortField(sourceId, transform, direction, nulls));
        }
        return new SortOrder(id, fields);
    }

    private static int SingleSourceId(JsonElement f, string src, string at)
    {
        var ids = JsonRead.IntList(f, "source-ids", src, at);
        return ids.Count == 1 ? ids[0] : throw Errors.InvalidData(src, $"{at}source-id is missing");
    }
}
