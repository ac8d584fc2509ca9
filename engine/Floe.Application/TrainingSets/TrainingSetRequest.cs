using Floe.Core.Errors;
using Floe.Features.Definitions;

namespace Floe.Application.TrainingSets;

/// <summary>
/// What a training set joins: a spine file, the feature groups to attach, which snapshot of their tables to read
/// (at most one of <see cref="AsOf"/>, <see cref="SnapshotId"/>, <see cref="Tag"/>), an optional maximum feature age,
/// and the output file.
/// </summary>
public sealed record TrainingSetRequest
{
    /// <summary>The spine: a .csv or .parquet file holding the entity column(s), the time column and any labels.</summary>
    public required string SpinePath { get; init; }

    /// <summary>The spine's time column (default <c>ts</c>).</summary>
    public string SpineTime { get; init; } = "ts";

    /// <summary>The feature groups, in output order (see <see cref="FeatureSelection.Parse"/>).</summary>
    public required IReadOnlyList<FeatureSelection> Features { get; init; }

    /// <summary>Read every feature table as main showed it at this time (ISO-8601, UTC unless an offset is given).</summary>
    public string? AsOf { get; init; }

    /// <summary>Read this snapshot id (valid with one feature group only).</summary>
    public long? SnapshotId { get; init; }

    /// <summary>Read every feature table at this tag (or branch).</summary>
    public string? Tag { get; init; }

    /// <summary>Features older than this many microseconds before the spine time come out null (null: no limit).</summary>
    public long? MaxAgeMicros { get; init; }

    /// <summary>The output file: .parquet or .csv.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Parses a max age such as <c>7d</c>, <c>12h</c> or <c>1h30m</c> into microseconds.</summary>
    /// <exception cref="FloeException">InvalidArgument when malformed.</exception>
    public static long ParseMaxAge(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Durations.TryParse(text.Trim(), out var micros)) throw Errors.InvalidArgument($"--max-age: '{text}' is not a duration such as 7d, 12h or 30m");
        return micros;
    }
}
