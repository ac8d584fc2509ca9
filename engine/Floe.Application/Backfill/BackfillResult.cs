using System.Globalization;
using System.Text.Json;

namespace Floe.Application.Backfill;

/// <summary>What a backfill committed.</summary>
/// <param name="Table">The feature table (<c>namespace.table</c>).</param>
/// <param name="Branch">The branch committed to.</param>
/// <param name="SnapshotId">The last snapshot committed.</param>
/// <param name="SnapshotIds">Every snapshot this run committed, in order (one unless commits were chunked).</param>
/// <param name="TableCreated">Whether this run created the table.</param>
/// <param name="From">First day of the range.</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="ResumedFrom">The day this run started at when it resumed an unfinished run; null otherwise.</param>
/// <param name="Days">Days this run replaced.</param>
/// <param name="Rows">Feature rows written.</param>
/// <param name="Files">Data files written.</param>
/// <param name="EventsRead">Source events read, lookback included.</param>
/// <param name="Elapsed">Wall-clock time.</param>
/// <param name="Lineage">The lineage properties of the last snapshot (<c>floe.*</c> summary keys).</param>
public sealed record BackfillResult(
    string Table,
    string Branch,
    long SnapshotId,
    IReadOnlyList<long> SnapshotIds,
    bool TableCreated,
    DateOnly From,
    DateOnly To,
    DateOnly? ResumedFrom,
    int Days,
    long Rows,
    int Files,
    long EventsRead,
    TimeSpan Elapsed,
    IReadOnlyDictionary<string, string> Lineage)
{
    /// <summary>Writes the result as the JSON object every face prints (<c>floe backfill --json</c>, <c>floe_backfill_run</c>).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("table", Table);
        json.WriteString("branch", Branch);
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteStartArray("snapshot_ids");
        foreach (var id in SnapshotIds) json.WriteNumberValue(id);
        json.WriteEndArray();
        json.WriteBoolean("table_created", TableCreated);
        json.WriteString("from", Iso(From));
        json.WriteString("to", Iso(To));
        if (ResumedFrom is { } r) json.WriteString("resumed_from", Iso(r));
        else json.WriteNull("resumed_from");
        json.WriteNumber("days", Days);
        json.WriteNumber("rows", Rows);
        json.WriteNumber("files", Files);
        json.WriteNumber("events_read", EventsRead);
        json.WriteNumber("seconds", Elapsed.TotalSeconds);
        json.WriteStartObject("lineage");
        foreach (var (k, v) in Lineage.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
