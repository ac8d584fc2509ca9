using Floe.Core.Errors;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// The retry half of the commit loop, shared by snapshot-producing operations and metadata-only updates: run an
/// attempt (which refreshes, rebuilds and compare-and-swaps), and on a lost race back off as the table's
/// <c>commit.retry.*</c> properties say and run it again from the new base.
/// </summary>
internal static class CommitRetries
{
    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, throws a non-retryable error, or the retry budget of
    /// <paramref name="table"/> is spent (then the last conflict propagates).
    /// </summary>
    public static T Run<T>(Table table, Func<T> attempt)
    {
        var policy = CommitRetryPolicy.From(table.Metadata.Properties);
        var started = Environment.TickCount64;
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                return attempt();
            }
            catch (FloeException e) when (IsRetryable(e) && attempts <= policy.NumRetries
                                          && Environment.TickCount64 - started < policy.TotalTimeoutMs)
            {
                Thread.Sleep(policy.Backoff(attempts));
            }
        }
    }

    /// <summary>
    /// A lost compare-and-swap is retryable; a conflict found by validation (message tagged <c>[validation]</c>)
    /// is not, because redoing the same work against the new base would fail the same way.
    /// </summary>
    public static bool IsRetryable(FloeException e) =>
        e.Retryable && !e.Message.Contains("[validation]", StringComparison.Ordinal);
}
