using System.Globalization;
using System.Text.Json;
using Floe.Core.Errors;

namespace Floe.Application.Backfill.Distributed;

/// <summary>
/// A backfill split into one task per day (<see cref="DistributedBackfill.Plan"/>): the tasks run anywhere, and the
/// plan, with their results, is what <see cref="DistributedBackfill.Commit"/> turns into one snapshot.
/// </summary>
/// <param name="Table">The feature table.</param>
/// <param name="Branch">The branch the commit goes to.</param>
/// <param name="From">First day.</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="Lineage">The lineage properties the commit records (definition, code version, pinned source).</param>
/// <param name="Tasks">One task per day, in day order.</param>
public sealed record BackfillPlan(string Table, string Branch, DateOnly From, DateOnly To, IReadOnlyDictionary<string, string> Lineage, IReadOnlyList<BackfillTask> Tasks)
{
    /// <summary>The plan as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber("version", 1);
        json.WriteString("table", Table);
        json.WriteString("branch", Branch);
        json.WriteString("from", BackfillService.Iso(From));
        json.WriteString("to", BackfillService.Iso(To));
        json.WriteStartObject("lineage");
        foreach (var (k, v) in Lineage.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteStartArray("tasks");
        foreach (var task in Tasks) task.WriteJson(json);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The plan's JSON text.</summary>
    public string ToJson() => DistributedJson.ToText(WriteJson);

    /// <summary>Parses a plan's JSON text.</summary>
    /// <exception cref="FloeException">InvalidArgument naming <paramref name="what"/> when it is not a plan.</exception>
    public static BackfillPlan Parse(string text, string what) => DistributedJson.Parse(text, what, root =>
    {
        try
        {
            if (root.GetProperty("version").GetInt32() != 1) throw new FormatException("unknown version");
            var lineage = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in root.GetProperty("lineage").EnumerateObject()) lineage[p.Name] = p.Value.GetString()!;
            var tasks = new List<BackfillTask>();
            int i = 0;
            foreach (var t in root.GetProperty("tasks").EnumerateArray()) tasks.Add(BackfillTask.Read(t, $"{what}: tasks[{i++}]"));
            return new BackfillPlan(
                root.GetProperty("table").GetString()!,
                root.GetProperty("branch").GetString()!,
                Day(root.GetProperty("from").GetString()!),
                Day(root.GetProperty("to").GetString()!),
                lineage,
                tasks);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw Errors.InvalidArgument($"{what}: not a backfill plan ({ErrorClassifier.OneLine(e.Message)})");
        }
    });

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What one task wrote: its day, rows and data files (not yet referenced by any snapshot).</summary>
/// <param name="Table">The feature table.</param>
/// <param name="Day">The day computed.</param>
/// <param name="Rows">Feature rows written.</param>
/// <param name="EventsRead">Source events read, lookback included.</param>
/// <param name="Files">The data files written.</param>
public sealed record BackfillTaskResult(string Table, DateOnly Day, long Rows, long EventsRead, IReadOnlyList<Iceberg.Spec.DataFile> Files)
{
    /// <summary>The result as one JSON object.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber("version", 1);
        json.WriteString("table", Table);
        json.WriteString("day", BackfillService.Iso(Day));
        json.WriteNumber("rows", Rows);
        json.WriteNumber("events_read", EventsRead);
        json.WriteStartArray("files");
        foreach (var file in Files) DataFileJson.Write(json, file);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The result's JSON text.</summary>
    public string ToJson() => DistributedJson.ToText(WriteJson);

    /// <summary>Reads a result object.</summary>
    public static BackfillTaskResult Read(JsonElement element, string what)
    {
        try
        {
            if (element.GetProperty("version").GetInt32() != 1) throw new FormatException("unknown version");
            var files = new List<Iceberg.Spec.DataFile>();
            int i = 0;
            foreach (var f in element.GetProperty("files").EnumerateArray()) files.Add(DataFileJson.Read(f, $"{what}: files[{i++}]"));
            return new BackfillTaskResult(
                element.GetProperty("table").GetString()!,
                DateOnly.ParseExact(element.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                element.GetProperty("rows").GetInt64(),
                element.GetProperty("events_read").GetInt64(),
                files);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentNullException)
        {
            throw Errors.InvalidArgument($"{what}: not a task result ({ErrorClassifier.OneLine(e.Message)})");
        }
    }

    /// <summary>Parses a result's JSON text.</summary>
    public static BackfillTaskResult Parse(string text, string what) => DistributedJson.Parse(text, what, e => Read(e, what));

    /// <summary>Parses a JSON array of results.</summary>
    /// <exception cref="FloeException">InvalidArgument naming <paramref name="what"/> and the element at fault.</exception>
    public static IReadOnlyList<BackfillTaskResult> ParseList(string text, string what) => DistributedJson.Parse(text, what, root =>
    {
        if (root.ValueKind != JsonValueKind.Array) throw Errors.InvalidArgument($"{what} must be a JSON array of task results");
        var results = new List<BackfillTaskResult>(root.GetArrayLength());
        int i = 0;
        foreach (var element in root.EnumerateArray()) results.Add(Read(element, $"{what}[{i++}]"));
        return (IReadOnlyList<BackfillTaskResult>)results;
    });
}
