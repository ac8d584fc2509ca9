using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Floe.Avro;

/// <summary>
/// Writes <see cref="AvroSchema"/> nodes as Avro schema JSON (with <see cref="Utf8JsonWriter"/>, AOT-clean).
/// A named type is written in full the first time and by name afterwards, as Avro requires.
/// </summary>
public static class AvroSchemaWriter
{
    /// <summary>The schema's JSON text.</summary>
    public static string ToJson(AvroSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, schema, new HashSet<string>(StringComparer.Ordinal), enclosingNamespace: null);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter w, AvroSchema schema, HashSet<string> written, string? enclosingNamespace)
    {
        switch (schema)
        {
            case AvroUnionSchema union:
                w.WriteStartArray();
                foreach (var branch in union.Branches) Write(w, branch, written, enclosingNamespace);
                w.WriteEndArray();
                return;
            case AvroNamedSchema named when !written.Add(named.FullName):
                w.WriteStringValue(named.Namespace == enclosingNamespace ? named.Name : named.FullName);
                return;
            case AvroPrimitiveSchema when schema.LogicalType is null && schema.Properties is null:
                w.WriteStringValue(AvroPrimitiveSchema.NameOf(schema.Type));
                return;
        }

        w.WriteStartObject();
        w.WriteString("type", AvroPrimitiveSchema.NameOf(schema.Type));
        switch (schema)
        {
            case AvroRecordSchema record:
                WriteNameAttributes(w, record, enclosingNamespace);
                w.WriteStartArray("fields");
                foreach (var field in record.Fields) WriteField(w, field, written, record.Namespace);
                w.WriteEndArray();
                break;
            case AvroEnumSchema e:
                WriteNameAttributes(w, e, enclosingNamespace);
                w.WriteStartArray("symbols");
                foreach (var symbol in e.Symbols) w.WriteStringValue(symbol);
                w.WriteEndArray();
                if (e.Default is not null) w.WriteString("default", e.Default);
                break;
            case AvroFixedSchema f:
                WriteNameAttributes(w, f, enclosingNamespace);
                w.WriteNumber("size", f.Size);
                break;
            case AvroArraySchema a:
                w.WritePropertyName("items");
                Write(w, a.Items, written, enclosingNamespace);
                if (a.ElementId is { } elementId) w.WriteNumber("element-id", elementId);
                break;
            case AvroMapSchema m:
                w.WritePropertyName("values");
                Write(w, m.Values, written, enclosingNamespace);
                if (m.KeyId is { } keyId) w.WriteNumber("key-id", keyId);
                if (m.ValueId is { } valueId) w.WriteNumber("value-id", valueId);
                break;
        }
        if (schema.LogicalType is not null) w.WriteString("logicalType", schema.LogicalType);
        WriteProperties(w, schema.Properties);
        w.WriteEndObject();
    }

    private static void WriteNameAttributes(Utf8JsonWriter w, AvroNamedSchema named, string? enclosingNamespace)
    {
        w.WriteString("name", named.Name);
        if (named.Namespace != enclosingNamespace) w.WriteString("namespace", named.Namespace ?? "");
        if (named.Doc is not null) w.WriteString("doc", named.Doc);
        WriteAliases(w, named.Aliases);
    }

    private static void WriteField(Utf8JsonWriter w, AvroField field, HashSet<string> written, string? enclosingNamespace)
    {
        w.WriteStartObject();
        w.WriteString("name", field.Name);
        w.WritePropertyName("type");
        Write(w, field.Schema, written, enclosingNamespace);
        if (field.Doc is not null) w.WriteString("doc", field.Doc);
        if (field.HasDefault)
        {
            w.WritePropertyName("default");
            if (field.Default is null) w.WriteNullValue();
            else field.Default.WriteTo(w);
        }
        WriteAliases(w, field.Aliases);
        if (field.FieldId is { } id) w.WriteNumber("field-id", id);
        WriteProperties(w, field.Properties);
        w.WriteEndObject();
    }

    private static void WriteAliases(Utf8JsonWriter w, IReadOnlyList<string>? aliases)
    {
        if (aliases is null) return;
        w.WriteStartArray("aliases");
        foreach (var alias in aliases) w.WriteStringValue(alias);
        w.WriteEndArray();
    }

    private static void WriteProperties(Utf8JsonWriter w, IReadOnlyDictionary<string, JsonNode?>? properties)
    {
        if (properties is null) return;
        foreach (var (key, value) in properties)
        {
            w.WritePropertyName(key);
            if (value is null) w.WriteNullValue();
            else value.WriteTo(w);
        }
    }
}
