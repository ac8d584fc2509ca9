using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Json;
using Floe.Iceberg.Spec.Serde;

using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

public static partial class TableMetadataParser
{
    /// <summary>
    /// Parses a table metadata document of format v1, v2 or v3. Unknown keys are ignored. v1 legacy forms are
    /// accepted (<c>schema</c>, <c>partition-spec</c>); when <c>schemas</c> lacks <c>current-schema-id</c> the legacy
    /// <c>schema</c> is used, and when <c>partition-specs</c> lacks <c>default-spec-id</c> the highest spec id is the
    /// default (lenient, as iceberg-rust). <c>current-snapshot-id</c> of -1 or null means no current snapshot; without
    /// <c>refs</c> (or without <c>main</c> in it) an implicit <c>main</c> branch points at the current snapshot.
    /// </summary>
    /// <param name="json">The document text.</param>
    /// <param name="sourceName">The file name or path, used as the first word of every error message.</param>
    /// <exception cref="FloeException">
    /// <see cref="FloeErrorCode.InvalidData"/> naming <paramref name="sourceName"/> and the missing or inconsistent
    /// field; <see cref="FloeErrorCode.Unsupported"/> for format versions above 3.
    /// </exception>
    public static TableMetadata Parse(string json, string sourceName)
    {
        using var doc = SchemaParser.ParseDocument(json, sourceName);
        return Read(doc.RootElement, sourceName);
    }

    /// <summary>
    /// Parses table metadata from UTF-8 bytes (a leading byte-order mark is skipped): the form files are read in,
    /// which spares decoding large documents to a string and back.
    /// </summary>
    /// <exception cref="FloeException">As <see cref="Parse(string, string)"/>.</exception>
    public static TableMetadata Parse(ReadOnlyMemory<byte> utf8, string sourceName)
    {
        if (utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        // The JSON reader checks structure but decodes strings lazily: refuse invalid UTF-8 up front, naming the file.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            throw Errors.InvalidData(sourceName, $"not valid UTF-8 (byte offset {FirstInvalidUtf8(utf8.Span)})");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw Errors.InvalidData(sourceName, $"not valid JSON ({JsonSyntax.Describe(e)})", e);
        }
        using (doc)
        {
            return Read(doc.RootElement, sourceName);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }

    internal static TableMetadata Read(JsonElement root, string src)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Errors.InvalidData(src, "table metadata must be a JSON object");
        }
        var v = JsonRead.RequiredInt(root, "format-version", src, "");
        if (v > SupportedFormatVersion)
        {
            throw Errors.Unsupported($"{src}: unsupported format-version {v} (Floe reads 1 to {SupportedFormatVersion})");
        }
        if (v < 1)
        {
            throw Errors.InvalidData(src, $"format-version must be 1, 2 or 3, found {v}");
        }
        if (v >= 2)
        {
            foreach (var key in RequiredSinceV2)
            {
                if (!JsonRead.Has(root, key)) throw Errors.InvalidData(src, $"{key} must exist in format v{v}");
            }
        }
        if (v >= 3 && !JsonRead.Has(root, "next-row-id"))
        {
            throw Errors.InvalidData(src, $"next-row-id must exist in format v{v}");
        }

        var uuidText = JsonRead.OptionalString(root, "table-uuid", src, "");
        var uuid = Guid.Empty;
        if (uuidText is not null && !Guid.TryParse(uuidText, out uuid))
        {
            throw Errors.InvalidData(src, $"table-uuid is not a UUID: \"{uuidText}\"");
        }

        var (schemas, currentSchemaId) = ReadSchemas(root, src);
        var (specs, defaultSpecId) = ReadSpecs(root, src);
        var lastPartitionId = JsonRead.OptionalInt(root, "last-partition-id", src, "") ?? MaxPartitionFieldId(specs);
        var (orders, defaultOrderId) = ReadSortOrders(root, src);

        var current = JsonRead.OptionalLong(root, "current-snapshot-id", src, "");
        if (current == -1) current = null;

        var snapshots = new List<Snapshot>();
        if (JsonRead.TryGet(root, "snapshots", out var snapArr))
        {
            if (snapArr.ValueKind != JsonValueKind.Array) throw JsonRead.Bad(src, "", "snapshots", "a JSON array", snapArr);
            var i = 0;
            foreach (var s in snapArr.EnumerateArray())
            {
                snapshots.Add(SnapshotJson.ReadSnapshot(s, v, src, JsonRead.Index("", "snapshots", i++)));
            }
        }

        var refs = new Dictionary<string, SnapshotRef>(StringComparer.Ordinal);
        if (JsonRead.TryGet(root, "refs", out var refsObj))
        {
            if (refsObj.ValueKind != JsonValueKind.Object) throw JsonRead.Bad(src, "", "refs", "a JSON object", refsObj);
            foreach (var p in refsObj.EnumerateObject())
            {
                refs[p.Name] = SnapshotJson.ReadRef(p.Value, src, "refs." + p.Name + ".");
            }
        }

        var lastSeq = v == 1
            ? JsonRead.OptionalLong(root, "last-sequence-number", src, "") ?? 0
            : JsonRead.RequiredLong(root, "last-sequence-number", src, "");

        var metadata = new TableMetadata
        {
            FormatVersion = v,
            TableUuid = uuid,
            Location = JsonRead.RequiredString(root, "location", src, ""),
            LastSequenceNumber = lastSeq,
            LastUpdatedMs = JsonRead.RequiredLong(root, "last-updated-ms", src, ""),
            LastColumnId = JsonRead.RequiredInt(root, "last-column-id", src, ""),
            Schemas = schemas,
            CurrentSchemaId = currentSchemaId,
            PartitionSpecs = specs,
            DefaultSpecId = defaultSpecId,
            LastPartitionId = lastPartitionId,
            Properties = JsonRead.StringMap(root, "properties", src, ""),
            CurrentSnapshotId = current,
            Snapshots = snapshots,
            SnapshotLog = ReadLog(root, "snapshot-log", src, (e, at) =>
                new SnapshotLogEntry(JsonRead.RequiredLong(e, "timestamp-ms", src, at), JsonRead.RequiredLong(e, "snapshot-id", src, at))),
            MetadataLog = ReadLog(root, "metadata-log", src, (e, at) =>
                new MetadataLogEntry(JsonRead.RequiredLong(e, "timestamp-ms", src, at), JsonRead.RequiredString(e, "metadata-file", src, at))),
            SortOrders = orders,
            DefaultSortOrderId = defaultOrderId,
            Refs = refs,
            NextRowId = JsonRead.OptionalLong(root, "next-row-id", src, ""),
        };
        Validate(metadata, refs, src);
        return metadata;
    }

    private static readonly string[] RequiredSinceV2 =
    {
        "table-uuid", "last-sequence-number", "schemas", "current-schema-id", "partition-specs", "default-spec-id",
        "last-partition-id", "sort-orders", "default-sort-order-id",
    };

    private static (List<Schema>, int) ReadSchemas(JsonElement root, string src)
    {
        Schema? legacy = JsonRead.TryGet(root, "schema", out var legacyElement)
            ? SchemaParser.Read(legacyElement, src, "schema.")
            : null;
        if (!JsonRead.TryGet(root, "schemas", out var arr))
        {
            if (legacy is null) throw Errors.InvalidData(src, "schemas is missing and there is no legacy schema");
            return (new List<Schema> { legacy }, legacy.SchemaId);
        }
        if (arr.ValueKind != JsonValueKind.Array) throw JsonRead.Bad(src, "", "schemas", "a JSON array", arr);
        var schemas = new List<Schema>();
        var i = 0;
        foreach (var s in arr.EnumerateArray())
        {
            var schema = SchemaParser.Read(s, src, JsonRead.Index("", "schemas", i++));
            foreach (var existing in schemas)
            {
                if (existing.SchemaId == schema.SchemaId) throw Errors.InvalidData(src, $"schemas holds schema-id {schema.SchemaId} twice");
            }
            schemas.Add(schema);
        }
        var currentId = JsonRead.OptionalInt(root, "current-schema-id", src, "");
        if (currentId is null)
        {
            if (legacy is null)
            {
                throw Errors.InvalidData(src, "current-schema-id is missing (schemas exists without current-schema-id, and there is no legacy schema)");
            }
            currentId = legacy.SchemaId;
            if (!schemas.Exists(s => s.SchemaId == legacy.SchemaId)) schemas.Add(legacy);
        }
        if (!schemas.Exists(s => s.SchemaId == currentId))
        {
            throw Errors.InvalidData(src, $"current-schema-id {currentId} is not in schemas");
        }
        return (schemas, currentId.Value);
    }

    private static (List<PartitionSpec>, int) ReadSpecs(JsonElement root, string src)
    {
        if (!JsonRead.TryGet(root, "partition-specs", out var arr))
        {
            if (!JsonRead.TryGet(root, "partition-spec", out var legacy))
            {
                throw Errors.InvalidData(src, "partition-specs is missing and there is no legacy partition-spec");
            }
            return (new List<PartitionSpec> { PartitionSpecParser.ReadFields(legacy, 0, src, "partition-spec") }, 0);
        }
        if (arr.ValueKind != JsonValueKind.Array) throw JsonRead.Bad(src, "", "partition-specs", "a JSON array", arr);
        var specs = new List<PartitionSpec>();
        var i = 0;
        foreach (var s in arr.EnumerateArray())
        {
            var spec = PartitionSpecParser.Read(s, src, JsonRead.Index("", "partition-specs", i++));
            if (specs.Exists(x => x.SpecId == spec.SpecId)) throw Errors.InvalidData(src, $"partition-specs holds spec-id {spec.SpecId} twice");
            specs.Add(spec);
        }
        if (specs.Count == 0) throw Errors.InvalidData(src, "partition-specs must not be empty");
        // Lenient like iceberg-rust: a v1 file with specs but no default uses the newest (highest) spec id.
        var defaultId = JsonRead.OptionalInt(root, "default-spec-id", src, "") ?? specs.Max(s => s.SpecId);
        if (!specs.Exists(s => s.SpecId == defaultId))
        {
            throw Errors.InvalidData(src, $"default-spec-id {defaultId} is not in partition-specs");
        }
        return (specs, defaultId);
    }

    private static (List<SortOrder>, int) ReadSortOrders(JsonElement root, string src)
    {
        if (!JsonRead.TryGet(root, "sort-orders", out var arr))
        {
            return (new List<SortOrder> { SortOrder.Unsorted }, 0);
        }
        if (arr.ValueKind != JsonValueKind.Array) throw JsonRead.Bad(src, "", "sort-orders", "a JSON array", arr);
        var orders = new List<SortOrder>();
        var i = 0;
        foreach (var o in arr.EnumerateArray())
        {
            orders.Add(SnapshotJson.ReadSortOrder(o, src, JsonRead.Index("", "sort-orders", i++)));
        }
        if (orders.Count == 0) throw Errors.InvalidData(src, "sort-orders must not be empty");
        var defaultId = JsonRead.OptionalInt(root, "default-sort-order-id", src, "") ?? orders[0].OrderId;
        if (!orders.Exists(o => o.OrderId == defaultId))
        {
            throw Errors.InvalidData(src, $"default-sort-order-id {defaultId} is not in sort-orders");
        }
        return (orders, defaultId);
    }

    private static List<T> ReadLog<T>(JsonElement root, string key, string src, Func<JsonElement, string, T> read)
    {
        var list = new List<T>();
        if (!JsonRead.TryGet(root, key, out var arr)) return list;
        if (arr.ValueKind != JsonValueKind.Array) throw JsonRead.Bad(src, "", key, "a JSON array", arr);
        var i = 0;
        foreach (var e in arr.EnumerateArray())
        {
            var at = JsonRead.Index("", key, i++);
            JsonRead.ExpectObject(e, src, at.TrimEnd('.'));
            list.Add(read(e, at));
        }
        return list;
    }

    private static int MaxPartitionFieldId(List<PartitionSpec> specs)
    {
        var max = PartitionSpec.FirstFieldId - 1;
        foreach (var s in specs) max = Math.Max(max, s.LastAssignedFieldId);
        return max;
    }

    private static void Validate(TableMetadata m, Dictionary<string, SnapshotRef> refs, string src)
    {
        var ids = new HashSet<long>();
        foreach (var s in m.Snapshots)
        {
            if (!ids.Add(s.SnapshotId)) throw Errors.InvalidData(src, $"snapshots holds snapshot-id {s.SnapshotId} twice");
            if (m.FormatVersion > 1 && s.SequenceNumber > m.LastSequenceNumber)
            {
                throw Errors.InvalidData(src, $"snapshot {s.SnapshotId} has sequence-number {s.SequenceNumber} above last-sequence-number {m.LastSequenceNumber}");
            }
        }
        if (m.CurrentSnapshotId is { } current && !ids.Contains(current))
        {
            throw Errors.InvalidData(src, $"current-snapshot-id {current} is not in snapshots");
        }
        foreach (var kv in refs)
        {
            if (!ids.Contains(kv.Value.SnapshotId))
            {
                throw Errors.InvalidData(src, $"refs.{kv.Key} points at snapshot {kv.Value.SnapshotId}, which is not in snapshots");
            }
        }
        if (refs.TryGetValue(SnapshotRef.MainBranch, out var main))
        {
            if (m.CurrentSnapshotId is null)
            {
                throw Errors.InvalidData(src, $"refs.main points at snapshot {main.SnapshotId} but current-snapshot-id is not set");
            }
            if (main.SnapshotId != m.CurrentSnapshotId)
            {
                throw Errors.InvalidData(src, $"current-snapshot-id {m.CurrentSnapshotId} does not match refs.main ({main.SnapshotId})");
            }
        }
        else if (m.CurrentSnapshotId is { } id)
        {
            // Spec: there is always a main branch pointing at current-snapshot-id, even when refs is absent.
            refs[SnapshotRef.MainBranch] = new SnapshotRef(id, SnapshotRefType.Branch);
        }
    }
}
