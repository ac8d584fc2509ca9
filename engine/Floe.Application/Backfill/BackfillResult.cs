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
    IReadOnlyDictionary<string, string> Lineage);
