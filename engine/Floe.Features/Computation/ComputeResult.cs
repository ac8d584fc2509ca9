namespace Floe.Features.Computation;

/// <summary>What a batch feature computation did.</summary>
/// <param name="RowsWritten">Output rows (events in [from, to) that passed the filter).</param>
/// <param name="EventsRead">Source events read, lookback included.</param>
/// <param name="Partitions">Day partitions written (one Parquet row group each).</param>
/// <param name="ReadFrom">Start of the event-time range read (from − longest window); null when a window is unbounded.</param>
/// <param name="ReadTo">End (exclusive) of the range read.</param>
/// <param name="Files">Files written.</param>
/// <param name="Elapsed">Wall-clock time of the computation.</param>
public sealed record ComputeResult(
    long RowsWritten,
    long EventsRead,
    int Partitions,
    DateTimeOffset? ReadFrom,
    DateTimeOffset ReadTo,
    IReadOnlyList<string> Files,
    TimeSpan Elapsed);
