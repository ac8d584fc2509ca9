namespace Floe.Parquet.Writing;

/// <summary>
/// <see cref="PageScratchBuffers"/> sets lent to column writers for one page-sealing call at a time, so a process holds about
/// as many sets as pages compress at once rather than one per thread that ever wrote a page. Thread-static sets cost a
/// set per thread-pool thread: the feature job's writer runs its chunks on whichever pool thread is free and its
/// columns in parallel loops, so the five pool threads of a 2-core run came to hold ~5 MiB each (10M-event feature
/// bench, interleaved runs: peak RSS 462-483 MiB against 478-484 with per-thread sets; bench/RESULTS.md, featkern10). At most
/// <c>keep</c> idle sets are kept; one returned beyond that is disposed.
/// </summary>
internal sealed class PageScratchPool
{
    private readonly object _gate = new();
    private readonly Stack<PageScratchBuffers> _idle = new();
    private readonly int _keep;
    private int _created;

    /// <param name="keep">Idle sets kept for the next borrower (at least one).</param>
    public PageScratchPool(int keep) => _keep = Math.Max(1, keep);

    /// <summary>The process-wide pool, keeping one idle set per processor.</summary>
    public static PageScratchPool Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>Sets this pool has made so far (reused ones not counted again).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Sets waiting in the pool now.</summary>
    public int Idle
    {
        get
        {
            lock (_gate) return _idle.Count;
        }
    }

    /// <summary>An idle set, or a new one when none is idle.</summary>
    public PageScratchBuffers Rent()
    {
        lock (_gate)
        {
            if (_idle.Count > 0) return _idle.Pop();
        }
        Interlocked.Increment(ref _created);
        return new PageScratchBuffers();
    }

    /// <summary>Takes back a set from <see cref="Rent"/>; its contents are of no further use to the borrower.</summary>
    public void Return(PageScratchBuffers scratch)
    {
        lock (_gate)
        {
            if (_idle.Count < _keep)
            {
                _idle.Push(scratch);
                return;
            }
        }
        scratch.Dispose();
    }
}
