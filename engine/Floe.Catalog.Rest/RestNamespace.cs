using System.Text.Json;
using Floe.Iceberg.Catalog;

namespace Floe.Catalog.Rest;

/// <summary>
/// How a Floe namespace (levels joined by dots, <c>a.b</c>) travels in the REST protocol: as a JSON array of levels
/// in bodies, and in paths as the levels joined by the unit separator (0x1F), percent-encoded.
/// </summary>
internal static class RestNamespace
{
    /// <summary>The path segment form of <paramref name="ns"/>.</summary>
    public static string ToPath(string ns) => Uri.EscapeDataString(ns.Replace('.', '\u001f'));

    /// <summary>The Floe form of a decoded path segment (either separator accepted).</summary>
    public static string FromPath(string decodedSegment) => decodedSegment.Replace('\u001f', '.');

    /// <summary>The Floe form of a namespace's levels.</summary>
    public static string FromLevels(IReadOnlyList<string> levels) => string.Join('.', levels);

    /// <summary>Writes <paramref name="ns"/> as the JSON array of its levels.</summary>
    public static void WriteLevels(Utf8JsonWriter w, string ns)
    {
        w.WriteStartArray();
        foreach (var level in ns.Split('.')) w.WriteStringValue(level);
        w.WriteEndArray();
    }

    /// <summary>Writes a table identifier as the protocol's <c>{"namespace": [...], "name": ...}</c> object.</summary>
    public static void WriteIdentifier(Utf8JsonWriter w, TableIdentifier id)
    {
        w.WriteStartObject();
        w.WritePropertyName("namespace");
        WriteLevels(w, id.Namespace);
        w.WriteString("name", id.Name);
        w.WriteEndObject();
    }
}
