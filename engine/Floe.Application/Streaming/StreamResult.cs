using System.Text.Json;

namespace Floe.Application.Streaming;

/// <summary>What a stream run did.</summary>
/// <param name="Events">Events accepted (appended to the raw table).</param>
/// <param name="SkippedAsCommitted">Events skipped because an earlier run had committed them.</param>
/// <param name="Rejected">Events refused (bad JSON or types) and dead-lettered.</param>
/// <param name="LateEvents">Events that arrived later than the allowed lateness: stored raw, their features left to the next batch correction.</param>
/// <param name="FeatureRows">Feature rows written to the online store.</param>
/// <param name="Commits">Iceberg commits of raw events.</param>
/// <param name="LastCommittedPosition">The stream position of the last commit, or null.</param>
/// <param name="RebuiltFromEvents">Events read back from the raw table to rebuild window state on start.</param>
public sealed record StreamResult(
    long Events,
    long SkippedAsCommitted,
    long Rejected,
    long LateEvents,
    long FeatureRows,
    int Commits,
    string? LastCommittedPosition,
    long RebuiltFromEvents)
{
    /// <summary>Human-readable text: one line.</summary>
    public string ToText() =>
        $"streamed {Events} event(s) in {Commits} commit(s) (last position {LastCommittedPosition ?? "none"}); " +
        $"{FeatureRows} feature row(s); {SkippedAsCommitted} already committed, {Rejected} rejected, {LateEvents} late";

    /// <summary>Machine-readable JSON.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("events", Events);
        json.WriteNumber("skipped_as_committed", SkippedAsCommitted);
        json.WriteNumber("rejected", Rejected);
        json.WriteNumber("late_events", LateEvents);
        json.WriteNumber("feature_rows", FeatureRows);
        json.WriteNumber("commits", Commits);
        json.WriteString("last_committed_position", LastCommittedPosition);
        json.WriteNumber("rebuilt_from_events", RebuiltFromEvents);
        json.WriteEndObject();
    }
}
