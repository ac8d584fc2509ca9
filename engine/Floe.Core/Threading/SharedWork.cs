using System.Runtime.ExceptionServices;

namespace Floe.Core.Threading;

/// <summary>
/// Runs <c>body(0)</c> … <c>body(count − 1)</c> on the calling thread and up to <c>workers − 1</c> thread-pool
/// helpers, each taking the next index as it frees up, and returns once every index has run. Unlike
/// <see cref="Parallel.For(int, int, Action{int})"/> it never waits for a helper that has not started: the caller runs
/// whatever is left itself. A batch feature run writes the previous chunk beside the next one's sort and kernels, each
/// side with loops of its own, so a helper queued behind the other side's work starts only when that work ends;
/// <c>Parallel.For</c> then waits for that start (its queued replica cannot be run inline) even when the caller has
/// done every index. The 1M-event bench's sort, five such loops a chunk, spent most of its wall waiting: its stage
/// took 0.22–0.47 s of wall with Parallel.For and 0.05–0.13 s with this (interleaved runs at load ~9), for 0.02–0.03 s
/// of its own thread's CPU either way. The Parquet writer's column loops (appending a batch, which seals the pages it
/// fills, and encoding a row group) had the same wait: an append begun beside a chunk's kernels finished only when the
/// kernels did, so the writer's work ran after them, alone (bench/RESULTS.md, issue #14, branch polars1m).
/// </summary>
public static class SharedWork
{
    /// <summary>
    /// Runs <paramref name="body"/> for every index below <paramref name="count"/> on up to <paramref name="workers"/>
    /// threads (the caller and up to <paramref name="workers"/> − 1 helpers), returning when every index has run.
    /// </summary>
    /// <exception cref="Exception">The first exception a body threw (the remaining indices are skipped).</exception>
    public static void For(int count, int workers, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) { return; }
        if (workers <= 1 || count == 1)
        {
            for (int i = 0; i < count; i++) { body(i); }
            return;
        }
        var run = new Run(count, body);
        for (int h = 1; h < Math.Min(workers, count); h++) { ThreadPool.UnsafeQueueUserWorkItem(static r => r.Take(), run, preferLocal: false); }
        run.Take();
        run.WaitForOthers();
    }

    private sealed class Run(int count, Action<int> body)
    {
        private int _next = -1;
        // Indices finished or abandoned after a failure; the caller returns when it reaches count.
        private int _done;
        private ExceptionDispatchInfo? _failure;
        private readonly object _gate = new();

        // Runs indices until none is left.
        public void Take()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < count)
            {
                try
                {
                    if (_failure is null) { body(i); }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
                if (Interlocked.Increment(ref _done) == count)
                {
                    lock (_gate) { Monitor.PulseAll(_gate); }
                }
            }
        }

        // Called by the caller after its own Take: every index is taken by now, so this waits only for indices that
        // are running on helpers.
        public void WaitForOthers()
        {
            lock (_gate)
            {
                while (Volatile.Read(ref _done) < count) { Monitor.Wait(_gate); }
            }
            _failure?.Throw();
        }
    }
}
