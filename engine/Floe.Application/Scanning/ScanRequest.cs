namespace Floe.Application.Scanning;

/// <summary>What to read: which snapshot (at most one of id, ref, as-of), which columns, which rows.</summary>
public sealed record ScanRequest
{
    /// <summary>Snapshot id to read.</summary>
    public long? SnapshotId { get; init; }
    /// <summary>Branch or tag to read.</summary>
    public string? Ref { get; init; }
    /// <summary>Timestamp (ISO-8601, UTC unless an offset is given): read what main showed then.</summary>
    public string? AsOf { get; init; }
    /// <summary>Columns to output (all when null).</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>Row filter such as <c>amount &gt; 10 and event_time &gt;= '2024-01-03T00:00:00Z'</c>.</summary>
    public string? Filter { get; init; }
    /// <summary>Threads that decode files and row groups at once (the processor count when null).</summary>
    public int? Threads { get; init; }
}


