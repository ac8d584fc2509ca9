using System.Globalization;
using System.Text.Json;
using Floe.Features.Computation;

namespace Floe.Application.Features;

/// <summary>Text and JSON renderings of feature validation and computation results, shared by the CLI and the C ABI.</summary>
public static class FeatureReports
{
    /// <summary><c>{"valid": bool, "errors": [...]}</c>: an invalid definition is a result, each error naming its field.</summary>
    public static void WriteJson(Utf8JsonWriter json, ValidateResult result)
    {
        json.WriteStartObject();
        json.WriteBoolean("valid", result.IsValid);
        json.WriteStartArray("errors");
        foreach (var error in result.Errors) json.WriteStringValue(error);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Human-readable summary of a computation: one line.</summary>
    public static string ToText(ComputeResult result) =>
        $"wrote {result.RowsWritten} rows ({result.Partitions} day partitions) from {result.EventsRead} events read in {result.Elapsed.TotalSeconds:F2} s";

    /// <summary>Machine-readable computation result: rows, events read, the event-time range read and the seconds taken.</summary>
    public static void WriteJson(Utf8JsonWriter json, ComputeResult result)
    {
        json.WriteStartObject();
        json.WriteNumber("rows", result.RowsWritten);
        json.WriteNumber("events_read", result.EventsRead);
        json.WriteNumber("partitions", result.Partitions);
        if (result.ReadFrom is { } from) json.WriteString("read_from", from.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("read_to", result.ReadTo.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("seconds", result.Elapsed.TotalSeconds);
        json.WriteEndObject();
    }
}
