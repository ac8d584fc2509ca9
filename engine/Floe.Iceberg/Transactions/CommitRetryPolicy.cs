using System.Globalization;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Retry settings from the table properties Iceberg defines (same names and defaults as Java):
/// commit.retry.num-retries (4), commit.retry.min-wait-ms (100), commit.retry.max-wait-ms (60000),
/// commit.retry.total-timeout-ms (1800000).
/// </summary>
public sealed record CommitRetryPolicy(int NumRetries, int MinWaitMs, int MaxWaitMs, long TotalTimeoutMs)
{
    /// <summary>Reads the policy from table properties.</summary>
    public static CommitRetryPolicy From(IReadOnlyDictionary<string, string> properties) => new(
        Get(properties, "commit.retry.num-retries", 4),
        Get(properties, "commit.retry.min-wait-ms", 100),
        Get(properties, "commit.retry.max-wait-ms", 60_000),
        Get(properties, "commit.retry.total-timeout-ms", 1_800_000));

    /// <summary>The wait before retry <paramref name="attempt"/> (1-based): exponential with full jitter, capped.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min((double)MaxWaitMs, MinWaitMs * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(MinWaitMs / 2.0 + Random.Shared.NextDouble() * (ceiling - MinWaitMs / 2.0));
    }

    private static int Get(IReadOnlyDictionary<string, string> properties, string key, int fallback) =>
        properties.TryGetValue(key, out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : fallback;
}
