namespace Floe.Application.Streaming;

/// <summary>How a stream runs.</summary>
public sealed record StreamOptions
{
    /// <summary>Commit the raw events to Iceberg once this many are buffered.</summary>
    public int CommitEveryEvents { get; init; } = 100_000;

    /// <summary>Commit the raw events to Iceberg at least this often while events arrive.</summary>
    public TimeSpan CommitEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far behind the newest event time an event may arrive and still be computed exactly as the batch engine
    /// computes it: features are emitted only for events older than the newest seen minus this.
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where rejected events go (JSON lines with the reason); null: counted only.</summary>
    public string? DeadLetterPath { get; init; }

    /// <summary>Events per micro-batch (hot-path write).</summary>
    public int MicroBatchEvents { get; init; } = 4096;

    /// <summary>Names the stream in committed snapshots (default: the source's id).</summary>
    public string? StreamId { get; init; }
}
