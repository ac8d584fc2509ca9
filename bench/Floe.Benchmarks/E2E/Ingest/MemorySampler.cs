namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// Samples this process every few milliseconds on a background thread, to split its peak working set into the
/// managed heap (live objects and garbage not yet collected), the GC's committed memory and everything else
/// (runtime, code, native buffers such as compression contexts).
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public MemorySampler()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>Largest <see cref="GC.GetTotalMemory(bool)"/> seen (heap bytes in use, garbage included), MiB.</summary>
    public double HeapPeakMiB { get; private set; }

    /// <summary>Largest committed GC memory seen, MiB.</summary>
    public double CommittedPeakMiB { get; private set; }

    /// <summary>Largest working set minus committed GC memory seen at the same moment, MiB.</summary>
    public double NonGcPeakMiB { get; private set; }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    /// <summary>Adds the three peaks to <paramref name="m"/>.</summary>
    public void Report(Measurement m)
    {
        m["gc_heap_peak_mib"] = HeapPeakMiB;
        m["gc_committed_peak_mib"] = CommittedPeakMiB;
        m["non_gc_peak_mib"] = NonGcPeakMiB;
    }

    private void Loop()
    {
        const double MiB = 1024.0 * 1024.0;
        while (!_stop)
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false) / MiB;
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes / MiB;
            var workingSet = Environment.WorkingSet / MiB;
            HeapPeakMiB = Math.Max(HeapPeakMiB, heap);
            CommittedPeakMiB = Math.Max(CommittedPeakMiB, committed);
            NonGcPeakMiB = Math.Max(NonGcPeakMiB, workingSet - committed);
            Thread.Sleep(5);
        }
    }
}
