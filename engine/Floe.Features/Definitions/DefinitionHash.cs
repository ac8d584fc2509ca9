using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Floe.Core.Errors;

namespace Floe.Features.Definitions;

/// <summary>
/// A definition's identity for lineage: the SHA-256 of its canonical JSON. The document (JSON or YAML) is parsed into
/// one tree and written back with object keys in ordinal order, no whitespace, integral numbers as integers and other
/// numbers in round-trip form, so the same definition spelled in JSON or YAML, indented or not, with keys in any
/// order or with comments, hashes the same; any change of a value (descriptions included) changes the hash.
/// </summary>
public static class DefinitionHash
{
    /// <summary>The canonical JSON text of the definition document <paramref name="text"/>.</summary>
    /// <exception cref="FloeException">InvalidData when the text is not valid JSON/YAML.</exception>
    public static string CanonicalJson(string text, DefinitionFormat format)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonNode? root;
        try
        {
            root = format == DefinitionFormat.Json
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false })
                : YamlSubsetReader.Parse(text);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw Errors.InvalidData("<definition>", $"not valid {format}: {e.Message}");
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="CanonicalJson"/>.</summary>
    public static string Sha256(string text, DefinitionFormat format) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(text, format))));

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                var keys = new List<string>(obj.Count);
                foreach (var (key, _) in obj) { keys.Add(key); }
                keys.Sort(StringComparer.Ordinal);
                foreach (var key in keys)
                {
                    writer.WritePropertyName(key);
                    Write(writer, obj[key]);
                }
                writer.WriteEndObject();
                break;
            case JsonArray arr:
                writer.WriteStartArray();
                foreach (var item in arr) { Write(writer, item); }
                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetValue<string>());
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonValueKind.Number:
                if (value.TryGetValue(out long l))
                {
                    writer.WriteNumberValue(l);
                }
                else
                {
                    double d = value.GetValue<double>();
                    if (Math.Floor(d) == d && Math.Abs(d) < 9e15) { writer.WriteNumberValue((long)d); }
                    else { writer.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture)); }
                }
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
