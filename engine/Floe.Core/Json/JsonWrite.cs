using System.Text.Json;

namespace Floe.Core.Json;

/// <summary>
/// Writes that every result type's JSON shares: an optional value is written as JSON <c>null</c>, never left out, so
/// each face prints the same keys whatever the outcome.
/// </summary>
public static class JsonWrite
{
    /// <summary>Writes member <paramref name="name"/> as <paramref name="value"/>, or as JSON null when it is absent.</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter json, string name, long? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }
}
