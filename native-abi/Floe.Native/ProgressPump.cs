using System.Collections.Concurrent;
using Floe.Application.Backfill;

namespace Floe.Native;

/// <summary>
/// Runs a backfill on a worker thread and hands its progress reports to the host's callback on the thread that made
/// the ABI call. A host callback therefore never runs on a thread the host does not know (JNI, Go and Python all need
/// their own threads), and never two at once. The reporting worker waits until the callback has answered, so a
/// callback that asks to stop cancels the run before its next commit, deterministically.
/// </summary>
internal sealed unsafe class ProgressPump : IProgress<BackfillProgress>, IDisposable
{
    private readonly BlockingCollection<PendingReport> _reports = new();
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>The token the run observes; cancelled when the callback returns non-zero.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Runs <paramref name="run"/> on a worker while this thread calls <paramref name="callback"/> for each report.</summary>
    /// <returns>What <paramref name="run"/> returned; its exception (OperationCanceledException included) is rethrown here.</returns>
    public BackfillResult Run(Func<ProgressPump, BackfillResult> run, delegate* unmanaged<long, long, long, void*, int> callback, void* payload)
    {
        var worker = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return run(this);
                }
                finally
                {
                    _reports.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        foreach (var report in _reports.GetConsumingEnumerable())
        {
            try
            {
                if (!_cancel.IsCancellationRequested &&
                    callback(report.Progress.DaysDone, report.Progress.DaysTotal, report.Progress.Rows, payload) != 0)
                {
                    _cancel.Cancel();
                }
            }
            finally
            {
                report.Answered.Set();
            }
        }

        return worker.GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public void Report(BackfillProgress value)
    {
        using var report = new PendingReport(value);
        _reports.Add(report);
        report.Answered.Wait();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _reports.Dispose();
        _cancel.Dispose();
    }

    private sealed class PendingReport(BackfillProgress progress) : IDisposable
    {
        public BackfillProgress Progress { get; } = progress;

        public ManualResetEventSlim Answered { get; } = new(false);

        public void Dispose() => Answered.Dispose();
    }
}
