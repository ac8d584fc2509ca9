using System.Globalization;
using System.Text.Json;

namespace Floe.Online;

/// <summary>One entity's online values as read back.</summary>
/// <param name="Entity">The entity key parts as given.</param>
/// <param name="Found">Whether Redis holds the entity.</param>
/// <param name="TimeMicros">The feature time of the values (epoch µs), or null.</param>
/// <param name="Source">What wrote them (snapshot id or stream position).</param>
/// <param name="Values">Feature name → invariant text (null: the feature was null).</param>
public sealed record OnlineRow(IReadOnlyList<string> Entity, bool Found, long? TimeMicros, string? Source, IReadOnlyDictionary<string, string?> Values)
{
    /// <summary>Human-readable text: <c>key @ time: name=value, …</c>, or <c>key: not found</c>.</summary>
    public string ToText() => !Found
        ? $"{string.Join(",", Entity)}: not found"
        : $"{string.Join(",", Entity)} @ {FeatureTime(TimeMicros!.Value)}: " + string.Join(", ", Values.Select(v => $"{v.Key}={v.Value ?? "null"}"));

    /// <summary>Machine-readable JSON: finite numbers as JSON numbers, other values as strings, nulls as null.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("entity", string.Join(",", Entity));
        json.WriteBoolean("found", Found);
        if (TimeMicros is { } t) json.WriteString("feature_time", FeatureTime(t));
        if (Source is { } s) json.WriteString("source", s);
        json.WriteStartObject("features");
        foreach (var (name, value) in Values)
        {
            if (value is null) json.WriteNull(name);
            else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) json.WriteNumber(name, d);
            else json.WriteString(name, value);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string FeatureTime(long micros) =>
        DateTimeOffset.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
