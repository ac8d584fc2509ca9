using System.Buffers;
using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Json;
using Floe.Iceberg.Spec.Serde;

using Floe.Core.Types;

namespace Floe.Iceberg.Spec;

/// <summary>
/// JSON form of partition specs (spec Appendix C): the object form <c>{"spec-id":0,"fields":[..]}</c> used in table
/// metadata, and the fields-only array used by the v1 <c>partition-spec</c> key and the Avro manifest metadata key
/// <c>partition-spec</c> (whose spec id travels separately as <c>partition-spec-id</c>).
/// </summary>
public static class PartitionSpecParser
{
    /// <summary>Serializes the object form <c>{"spec-id":N,"fields":[{"name","transform","source-id","field-id"},..]}</c>.</summary>
    public static string ToJson(PartitionSpec spec, bool indented = false) =>
        WriteToString(w => Write(w, spec), indented);

    /// <summary>Serializes only the fields array <c>[{"name","transform","source-id","field-id"},..]</c>.</summary>
    public static string FieldsToJson(PartitionSpec spec, bool indented = false) =>
        WriteToString(w => WriteFields(w, spec.Fields), indented);

    /// <summary>
    /// Parses either form. For the array form the spec id is <paramref name="specIdForArray"/>; fields without
    /// <c>field-id</c> (old v1 writers) get ids 1000, 1001, ... in order, as the reference implementation assigned them.
    /// </summary>
    /// <exception cref="FloeException">Malformed JSON or fields; the message starts with <paramref name="sourceName"/>.</exception>
    public static PartitionSpec Parse(string json, string sourceName = "partition-spec", int specIdForArray = 0)
    {
        using var doc = SchemaParser.ParseDocument(json, sourceName);
        var root = doc.RootElement;
        return root.ValueKind == JsonValueKind.Array
            ? ReadFields(root, specIdForArray, sourceName, "partition-spec")
            : Read(root, sourceName, "partition-spec.");
    }

    internal static string WriteToString(Action<Utf8JsonWriter> write, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            write(w);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static void Write(Utf8JsonWriter w, PartitionSpec spec)
    {
        w.WriteStartObject();
        w.WriteNumber("spec-id", spec.SpecId);
        w.WritePropertyName("fields");
        WriteFields(w, spec.Fields);
        w.WriteEndObject();
    }

    internal static void WriteFields(Utf8JsonWriter w, IReadOnlyList<PartitionField> fields)
    {
        w.WriteStartArray();
        foreach (var f in fields)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("transform", f.Transform.ToString());
            w.WriteNumber("source-id", f.SourceId);
            w.WriteNumber("field-id", f.FieldId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    internal static PartitionSpec Read(JsonElement e, string src, string where)
    {
        JsonRead.ExpectObject(e, src, where.TrimEnd('.'));
        var specId = JsonRead.RequiredInt(e, "spec-id", src, where);
        return ReadFields(JsonRead.RequiredArray(e, "fields", src, where), specId, src, where + "fields");
    }

    internal static PartitionSpec ReadFields(JsonElement arr, int specId, string src, string where)
    {
        if (arr.ValueKind != JsonValueKind.Array)
        {
            throw Errors.InvalidData(src, $"{where} must be a JSON array");
        }
        var fields = new List<PartitionField>(arr.GetArrayLength());
        var i = 0;
        foreach (var f in arr.EnumerateArray())
        {
            var at = JsonRead.Index(where, "", i);
            JsonRead.ExpectObject(f, src, at.TrimEnd('.'));
            var name = JsonRead.RequiredString(f, "name", src, at);
            var transformText = JsonRead.RequiredString(f, "transform", src, at);
            Transform transform;
            try
            {
                transform = Transform.Parse(transformText);
            }
            catch (FloeException ex)
            {
                throw Errors.InvalidData(src, $"{at}transform: {ex.Message}", ex);
            }
            int sourceId;
            if (JsonRead.Has(f, "source-id"))
            {
                sourceId = JsonRead.RequiredInt(f, "source-id", src, at);
            }
            else
            {
                // v3 may write source-ids for multi-argument transforms; Floe only knows single-argument ones.
                var ids = JsonRead.IntList(f, "source-ids", src, at);
                if (ids.Count != 1)
                {
                    throw Errors.InvalidData(src, $"{at}source-id is missing (or source-ids does not hold exactly one id)");
                }
                sourceId = ids[0];
            }
            var fieldId = JsonRead.OptionalInt(f, "field-id", src, at) ?? PartitionSpec.FirstFieldId + i;
            fields.Add(new PartitionField(sourceId, fieldId, name, transform));
            i++;
        }
        return new PartitionSpec(specId, fields);
    }
}
