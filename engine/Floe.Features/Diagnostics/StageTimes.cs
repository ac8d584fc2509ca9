using System.Diagnostics;

namespace Floe.Features.Diagnostics;

/// <summary>
/// Wall time, process CPU time, the stage's own thread's CPU time and managed bytes allocated per stage of a batch
/// computation, accumulated across runs in this process (read by the benchmarks and by <c>floe features compute
/// --profile</c> to see where time and garbage go; cheap enough to leave on: a few clock reads per chunk). The compute
/// stages run one after another, each using every core inside, but the writer (and the filing of batches by day)
/// runs beside them, so process-wide CPU and allocations of overlapping stages count the same work twice. The
/// stage's own thread's CPU does not: for a serial stage it is the stage's work, for a parallel one the calling
/// thread's share. A stage whose wall time stays put as threads are added is serial.
/// </summary>
internal static class StageTimes
{
    // Spelled out rather than Enum.GetNames: enum reflection in the NativeAOT binary cost ~2 ms on the first use, in
    // every run of the feature job (StageTimesTests checks the names against the enum).
    internal static readonly string[] Names = ["Read", "Encode", "File", "Sort", "Kernel", "Permute", "Output", "Write", "WriteWait", "Collect"];
    private static readonly long[] Cpu = new long[Names.Length];
    private static readonly long[] Allocated = new long[Names.Length];
    private static readonly long[] Wall = new long[Names.Length];
    private static readonly long[] ThreadCpu = new long[Names.Length];
    // The GC's counters when the sums last started, so the profile reports this computation's collections.
    private static readonly int[] CollectionsAtReset = new int[3];
    private static TimeSpan _pauseAtReset;
    private static long _allocatedAtReset;
    // Points in the job's run (the read's end, the post-read collection's end, the last chunk's end, the footer's end),
    // in Stopwatch ticks (CLOCK_MONOTONIC nanoseconds on Linux), so a timeline of the process taken from outside
    // (bench/cli/timeline.py) can place the stages; only the last value of each name is kept.
    internal static readonly string[] MarkNames = ["start", "read-end", "post-read-gc-end", "chunks-end", "writes-end", "complete-end"];
    private static readonly long[] MarkAt = new long[MarkNames.Length];

    /// <summary>The process's CPU time (in <see cref="TimeSpan"/> ticks) and managed allocations so far.</summary>
    /// <remarks>
    /// The process's CPU comes from <see cref="Environment.CpuUsage"/> (one <c>getrusage</c>), not from a
    /// <see cref="Process"/> object per mark: the 1M-event job takes ~200 marks, and making and disposing a Process
    /// each time cost more than the clock reads themselves.
    /// </remarks>
    public static StageMark Now =>
        new(Environment.CpuUsage.TotalTime.Ticks, GC.GetTotalAllocatedBytes(false), Stopwatch.GetTimestamp(), ThreadClock.Ticks);

    public static void Add(Stage stage, StageMark since)
    {
        var now = Now;
        Interlocked.Add(ref Cpu[(int)stage], now.CpuTicks - since.CpuTicks);
        Interlocked.Add(ref Allocated[(int)stage], now.AllocatedBytes - since.AllocatedBytes);
        Interlocked.Add(ref Wall[(int)stage], now.WallTimestamp - since.WallTimestamp);
        // Marks are taken and added on one thread (a stage starts and ends in one method).
        Interlocked.Add(ref ThreadCpu[(int)stage], now.ThreadCpuTicks - since.ThreadCpuTicks);
    }

    /// <summary>Records that the run reached <paramref name="mark"/> now (the clock's last reading for that mark is kept).</summary>
    public static void Mark(JobMark mark) => Volatile.Write(ref MarkAt[(int)mark], Stopwatch.GetTimestamp());

    public static void Reset()
    {
        Array.Clear(MarkAt);
        MarkAt[(int)JobMark.Start] = Stopwatch.GetTimestamp();
        Array.Clear(Cpu);
        Array.Clear(Allocated);
        Array.Clear(Wall);
        Array.Clear(ThreadCpu);
        for (int g = 0; g < CollectionsAtReset.Length; g++) { CollectionsAtReset[g] = GC.CollectionCount(g); }
        _pauseAtReset = GC.GetTotalPauseDuration();
        _allocatedAtReset = GC.GetTotalAllocatedBytes(false);
    }

    public static string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var parts = new List<string>(Names.Length);
        for (int i = 0; i < Names.Length; i++)
        {
            double wall = (double)Wall[i] / Stopwatch.Frequency;
            parts.Add(string.Create(inv, $"{Names[i].ToLowerInvariant()} {wall:F2} s/{TimeSpan.FromTicks(Cpu[i]).TotalSeconds:F2} CPU-s/{TimeSpan.FromTicks(ThreadCpu[i]).TotalSeconds:F2} thread-CPU-s/{Allocated[i] / 1048576.0:F0} MiB"));
        }
        // Every collection of a workstation GC stops all threads, so pauses are serial time whatever the parallelism.
        // A gen2 collection counts as gen1 and gen0 too, as the GC reports them.
        var gcs = string.Create(inv, $"GCs gen0/1/2 {GC.CollectionCount(0) - CollectionsAtReset[0]}/{GC.CollectionCount(1) - CollectionsAtReset[1]}/{GC.CollectionCount(2) - CollectionsAtReset[2]}, pauses {(GC.GetTotalPauseDuration() - _pauseAtReset).TotalSeconds:F2} s, {(GC.GetTotalAllocatedBytes(false) - _allocatedAtReset) / 1048576.0:F0} MiB allocated in all");
        // The marks on the monotonic clock (for a timeline taken from outside the process) and as seconds since the reset.
        var marks = new List<string>(MarkNames.Length);
        var since = new List<string>(MarkNames.Length);
        for (int i = 0; i < MarkNames.Length; i++)
        {
            if (MarkAt[i] == 0) { continue; }
            marks.Add(string.Create(inv, $"{MarkNames[i]} {(double)MarkAt[i] / Stopwatch.Frequency:F6}"));
            since.Add(string.Create(inv, $"{MarkNames[i]} {(double)(MarkAt[i] - MarkAt[0]) / Stopwatch.Frequency:F3}"));
        }
        return "stage wall, process CPU, the stage's own thread's CPU and allocations: " + string.Join(", ", parts) + "; " + gcs
            + "; marks (s since start): " + string.Join(", ", since) + "; marks (CLOCK_MONOTONIC s): " + string.Join(", ", marks);
    }
}

/// <summary>The stages of a batch computation that <see cref="StageTimes"/> accounts for.</summary>
internal enum Stage
{
    Read,
    Encode,
    // Filing encoded batches by day, on a worker beside the next batch's read and encode (its wall time overlaps theirs).
    File,
    Sort,
    Kernel,
    Permute,
    Output,
    Write,
    // The computation waiting for the previous chunk's write to finish: the writer, not the engine, sets the pace then.
    WriteWait,
    // The job's own blocking collections (after the read, and between chunks to bound the garbage): every thread
    // waits while one collects (workstation GC), so this is serial time however many cores the job has.
    Collect,
}

/// <summary>Points in a batch computation's run that <see cref="StageTimes"/> records the time of (<see cref="StageTimes.MarkNames"/>).</summary>
internal enum JobMark
{
    // When the sums were last reset (the command's start).
    Start,
    // Every source batch read, encoded and filed.
    ReadEnd,
    // The collection between reading and computing done.
    PostReadGcEnd,
    // The last chunk computed and handed to the writer.
    ChunksEnd,
    // The last chunk written (the sink's Complete not yet called).
    WritesEnd,
    // The sink completed (a Parquet file's footer written and the file closed).
    CompleteEnd,
}

/// <summary>A reading of the process's CPU clock and allocation counter, the wall clock and the calling thread's CPU clock.</summary>
internal readonly record struct StageMark(long CpuTicks, long AllocatedBytes, long WallTimestamp, long ThreadCpuTicks);
