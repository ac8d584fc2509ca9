using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Json;

namespace Floe.Application.Backfill.Distributed;

/// <summary>
/// One day of a planned backfill, runnable in any process that sees the warehouse: the definition (checked by hash
/// when run), the source pinned to the snapshot the plan saw, and the day. Serialised as JSON by <see cref="ToJson"/>.
/// </summary>
/// <param name="Table">The feature table.</param>
/// <param name="DefinitionPath">The definition file (absolute).</param>
/// <param name="DefinitionSha256">The definition's hash when planned; a task refuses a changed definition.</param>
/// <param name="Source">The source override (a file or table), or null for the definition's own.</param>
/// <param name="SourceSnapshotId">The source table's snapshot the plan pinned, or null (file source or empty table).</param>
/// <param name="Day">The day computed.</param>
public sealed record BackfillTask(string Table, string DefinitionPath, string DefinitionSha256, string? Source, long? SourceSnapshotId, DateOnly Day)
{
    /// <summary>The task as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber("version", 1);
        json.WriteString("table", Table);
        json.WriteString("definition", DefinitionPath);
        json.WriteString("definition_sha256", DefinitionSha256);
        if (Source is null) json.WriteNull("source");
        else json.WriteString("source", Source);
        json.WriteNumberOrNull("source_snapshot_id", SourceSnapshotId);
        json.WriteString("day", BackfillService.Iso(Day));
        json.WriteEndObject();
    }

    /// <summary>The task's JSON text.</summary>
    public string ToJson() => DistributedJson.ToText(WriteJson);

    /// <summary>Reads a task object.</summary>
    /// <exception cref="FloeException">InvalidArgument when it is not a task of this version.</exception>
    public static BackfillTask Read(JsonElement element, string what)
    {
        try
        {
            if (element.GetProperty("version").GetInt32() != 1) throw new FormatException("unknown version");
            long? snapshot = element.GetProperty("source_snapshot_id").ValueKind == JsonValueKind.Null ? null : element.GetProperty("source_snapshot_id").GetInt64();
            string? source = element.GetProperty("source").ValueKind == JsonValueKind.Null ? null : element.GetProperty("source").GetString();
            return new BackfillTask(
                element.GetProperty("table").GetString()!,
                element.GetProperty("definition").GetString()!,
                element.GetProperty("definition_sha256").GetString()!,
                source,
                snapshot,
                DateOnly.ParseExact(element.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw Errors.InvalidArgument($"{what}: not a backfill task ({ErrorClassifier.OneLine(e.Message)})");
        }
    }

    /// <summary>Parses a task's JSON text.</summary>
    public static BackfillTask Parse(string text, string what) => DistributedJson.Parse(text, what, e => Read(e, what));
}

/// <summary>Helpers shared by the distributed backfill's JSON forms.</summary>
internal static class DistributedJson
{
    public static string ToText(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static T Parse<T>(string text, string what, Func<JsonElement, T> read)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw Errors.InvalidArgument($"{what} is not valid JSON: {ErrorClassifier.OneLine(e.Message)}");
        }
    }
}
