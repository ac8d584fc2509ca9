using System.Text.Json;
using Floe.Core.Json;

namespace Floe.Application.Tables;

/// <summary>What forgetting one entity did to the warehouse's tables (or would do, on a dry run).</summary>
/// <param name="DryRun">Whether nothing was committed.</param>
/// <param name="Tables">One entry per table carrying the key column, in catalog order.</param>
public sealed record ForgetReport(bool DryRun, IReadOnlyList<ForgetTableResult> Tables)
{
    /// <summary>
    /// Writes <c>"dry_run"</c> and <c>"tables": [{"table","snapshot_id","deleted_rows"}...]</c> into the object
    /// <paramref name="json"/> is writing, so a face can add its own members (the CLI's online store) after them.
    /// </summary>
    public void WriteJsonMembers(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteBoolean("dry_run", DryRun);
        json.WriteStartArray("tables");
        foreach (var r in Tables)
        {
            json.WriteStartObject();
            json.WriteString("table", r.Table);
            json.WriteNumberOrNull("snapshot_id", r.SnapshotId);
            json.WriteNumber("deleted_rows", r.DeletedRows);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Writes the report as one JSON object (the CLI's <c>floe forget --json</c> without an online store).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        WriteJsonMembers(json);
        json.WriteEndObject();
    }

    /// <summary>The report as lines of text, one per table.</summary>
    public IEnumerable<string> TextLines()
    {
        foreach (var r in Tables)
        {
            yield return DryRun
                ? $"{r.Table}: {r.DeletedRows} rows would be deleted"
                : $"{r.Table}: {r.DeletedRows} rows deleted" + (r.SnapshotId is { } id ? $" (snapshot {id})" : "");
        }
        if (Tables.Count == 0) yield return "no table has that column";
    }
}
