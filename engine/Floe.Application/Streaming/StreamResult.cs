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
    long RebuiltFromEvents);
