using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Floe.Core.Errors;
using Floe.Core.Json;


namespace Floe.Core.Types;

/// <summary>
/// JSON form of schemas and types (spec Appendix C): used in table metadata, the Parquet footer key
/// <c>iceberg.schema</c> and the Avro manifest metadata key <c>schema</c>.
/// </summary>
public static class SchemaParser
{
    /// <summary>
    /// Serializes <paramref name="schema"/> as <c>{"type":"struct","schema-id":..,"identifier-field-ids":[..],"fields":[..]}</c>
    /// (identifier ids only when non-empty; field <c>doc</c>, <c>initial-default</c>, <c>write-default</c> only when set).
    /// </summary>
    public static string ToJson(Schema schema, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(w, schema);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses a schema object; errors are <see cref="FloeException"/>s starting with <paramref name="sourceName"/>.</summary>
    public static Schema Parse(string json, string sourceName = "schema")
    {
        using var doc = ParseDocument(json, sourceName);
        return Read(doc.RootElement, sourceName, "schema.");
    }

    /// <summary>
    /// Parses a primitive type string (<c>long</c>, <c>decimal(9, 2)</c>, <c>fixed[16]</c>, ...), accepting optional
    /// whitespace around parameters as the spec asks.
    /// </summary>
    /// <exception cref="FloeException">Unknown or unsupported type (variant, geometry, unknown, ...).</exception>
    public static PrimitiveType ParsePrimitive(string text)
    {
        var t = text.Trim();
        switch (t)
        {
            case "boolean": return PrimitiveType.Boolean;
            case "int": return PrimitiveType.Int;
            case "long": return PrimitiveType.Long;
            case "float": return PrimitiveType.Float;
            case "double": return PrimitiveType.Double;
            case "date": return PrimitiveType.Date;
            case "time": return PrimitiveType.Time;
            case "timestamp": return PrimitiveType.Timestamp;
            case "timestamptz": return PrimitiveType.TimestampTz;
            case "timestamp_ns": return PrimitiveType.TimestampNs;
            case "timestamptz_ns": return PrimitiveType.TimestampTzNs;
            case "string": return PrimitiveType.String;
            case "uuid": return PrimitiveType.Uuid;
            case "binary": return PrimitiveType.Binary;
        }
        if (t.StartsWith("decimal", StringComparison.Ordinal))
        {
            var rest = t.AsSpan(7).Trim();
            if (rest.Length > 2 && rest[0] == '(' && rest[^1] == ')')
            {
                var inner = rest[1..^1];
                var comma = inner.IndexOf(',');
                if (comma > 0 &&
                    int.TryParse(inner[..comma].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) &&
                    int.TryParse(inner[(comma + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) &&
                    p is >= 1 and <= 38 && s <= p)
                {
                    return PrimitiveType.Decimal(p, s);
                }
            }
        }
        else if (t.StartsWith("fixed", StringComparison.Ordinal))
        {
            var rest = t.AsSpan(5).Trim();
            if (rest.Length > 2 && rest[0] == '[' && rest[^1] == ']' &&
                int.TryParse(rest[1..^1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var len) && len > 0)
            {
                return PrimitiveType.Fixed(len);
            }
        }
        if (t is "unknown" or "variant" || t.StartsWith("geometry", StringComparison.Ordinal) || t.StartsWith("geography", StringComparison.Ordinal))
        {
            throw Floe.Core.Errors.Errors.Unsupported($"Iceberg type '{t}' is not supported by Floe");
        }
        throw Floe.Core.Errors.Errors.InvalidData($"cannot parse Iceberg type '{text}'");
    }

    /// <summary>Parses <paramref name="json"/> strictly (no trailing commas, depth at most 256), naming <paramref name="sourceName"/> on error.</summary>
    public static JsonDocument ParseDocument(string json, string sourceName)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw Floe.Core.Errors.Errors.InvalidData(sourceName, $"not valid JSON ({Floe.Core.Errors.JsonSyntax.Describe(e)})", e);
        }
    }

    /// <summary>Writes <paramref name="schema"/> as an Iceberg schema JSON object.</summary>
    public static void Write(Utf8JsonWriter w, Schema schema)
    {
        w.WriteStartObject();
        w.WriteString("type", "struct");
        w.WriteNumber("schema-id", schema.SchemaId);
        if (schema.IdentifierFieldIds.Count > 0)
        {
            w.WriteStartArray("identifier-field-ids");
            foreach (var id in schema.IdentifierFieldIds) w.WriteNumberValue(id);
            w.WriteEndArray();
        }
        WriteFields(w, schema.Fields);
        w.WriteEndObject();
    }

    /// <summary>Reads an Iceberg schema JSON object found at <paramref name="where"/> in the file <paramref name="src"/>.</summary>
    public static Schema Read(JsonElement e, string src, string where)
    {
        var type = ReadType(e, src, where.TrimEnd('.'));
        if (type is not StructType st)
        {
            throw Floe.Core.Errors.Errors.InvalidData(src, $"{where}type must be \"struct\"");
        }
        var id = JsonRead.OptionalInt(e, "schema-id", src, where) ?? 0;
        var ids = JsonRead.IntList(e, "identifier-field-ids", src, where);
        try
        {
            return new Schema(id, st.Fields, ids);
        }
        catch (FloeException ex) when (ex.Code == FloeErrorCode.InvalidData)
        {
            throw Floe.Core.Errors.Errors.InvalidData(src, ex.Message, ex);
        }
    }

    private static void WriteFields(Utf8JsonWriter w, IReadOnlyList<NestedField> fields)
    {
        w.WriteStartArray("fields");
        foreach (var f in fields)
        {
            w.WriteStartObject();
            w.WriteNumber("id", f.Id);
            w.WriteString("name", f.Name);
            w.WriteBoolean("required", f.Required);
            w.WritePropertyName("type");
            WriteType(w, f.Type);
            if (f.Doc is not null) w.WriteString("doc", f.Doc);
            if (f.InitialDefault is not null)
            {
                w.WritePropertyName("initial-default");
                f.InitialDefault.WriteTo(w);
            }
            if (f.WriteDefault is not null)
            {
                w.WritePropertyName("write-default");
                f.WriteDefault.WriteTo(w);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteType(Utf8JsonWriter w, IcebergType type)
    {
        switch (type)
        {
            case PrimitiveType p:
                w.WriteStringValue(p.ToString());
                break;
            case StructType s:
                w.WriteStartObject();
                w.WriteString("type", "struct");
                WriteFields(w, s.Fields);
                w.WriteEndObject();
                break;
            case ListType l:
                w.WriteStartObject();
                w.WriteString("type", "list");
                w.WriteNumber("element-id", l.ElementId);
                w.WritePropertyName("element");
                WriteType(w, l.ElementType);
                w.WriteBoolean("element-required", l.ElementRequired);
                w.WriteEndObject();
                break;
            case MapType m:
                w.WriteStartObject();
                w.WriteString("type", "map");
                w.WriteNumber("key-id", m.KeyId);
                w.WritePropertyName("key");
                WriteType(w, m.KeyType);
                w.WriteNumber("value-id", m.ValueId);
                w.WritePropertyName("value");
                WriteType(w, m.ValueType);
                w.WriteBoolean("value-required", m.ValueRequired);
                w.WriteEndObject();
                break;
            default:
                throw Floe.Core.Errors.Errors.Unsupported($"cannot serialize type {type}");
        }
    }

    private static IcebergType ReadType(JsonElement e, string src, string where)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            try
            {
                return ParsePrimitive(e.GetString()!);
            }
            catch (FloeException ex)
            {
                throw new FloeException(ex.Code, $"{src}: {where}: {ex.Message}", ex);
            }
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Floe.Core.Errors.Errors.InvalidData(src, $"{where}: cannot parse type from {e.ValueKind} JSON");
        }
        var prefix = where + ".";
        if (!JsonRead.TryGet(e, "type", out var kindElement) || kindElement.ValueKind != JsonValueKind.String)
        {
            throw Floe.Core.Errors.Errors.InvalidData(src, $"{where}: cannot parse type from JSON object without a \"type\" string (expected struct, list or map)");
        }
        switch (kindElement.GetString())
        {
            case "struct":
                {
                    var arr = JsonRead.RequiredArray(e, "fields", src, prefix);
                    var fields = new List<NestedField>(arr.GetArrayLength());
                    var i = 0;
                    foreach (var f in arr.EnumerateArray())
                    {
                        fields.Add(ReadField(f, src, JsonRead.Index(prefix, "fields", i++)));
                    }
                    return new StructType(fields);
                }
            case "list":
                return new ListType(
                    JsonRead.RequiredInt(e, "element-id", src, prefix),
                    JsonRead.RequiredBool(e, "element-required", src, prefix),
                    ReadType(JsonRead.Required(e, "element", src, prefix), src, prefix + "element"));
            case "map":
                return new MapType(
                    JsonRead.RequiredInt(e, "key-id", src, prefix),
                    ReadType(JsonRead.Required(e, "key", src, prefix), src, prefix + "key"),
                    JsonRead.RequiredInt(e, "value-id", src, prefix),
                    JsonRead.RequiredBool(e, "value-required", src, prefix),
                    ReadType(JsonRead.Required(e, "value", src, prefix), src, prefix + "value"));
            default:
                throw Floe.Core.Errors.Errors.InvalidData(src, $"{where}: unknown nested type \"{kindElement.GetString()}\" (expected struct, list or map)");
        }
    }

    private static NestedField ReadField(JsonElement f, string src, string where)
    {
        JsonRead.ExpectObject(f, src, where.TrimEnd('.'));
        var id = JsonRead.RequiredInt(f, "id", src, where);
        var name = JsonRead.RequiredString(f, "name", src, where);
        var required = JsonRead.RequiredBool(f, "required", src, where);
        var type = ReadType(JsonRead.Required(f, "type", src, where), src, where + "type");
        var doc = JsonRead.OptionalString(f, "doc", src, where);
        var initial = JsonRead.TryGet(f, "initial-default", out var i) ? JsonNode.Parse(i.GetRawText()) : null;
        var write = JsonRead.TryGet(f, "write-default", out var wd) ? JsonNode.Parse(wd.GetRawText()) : null;
        return new NestedField(id, name, required, type, doc, initial, write);
    }
}
