using System.Diagnostics;

namespace Floe.Features.Diagnostics;

/// <summary>
/// Wall time, process CPU time and managed bytes allocated per stage of a batch computation, accumulated across runs
/// in this process (read by the benchmarks and by <c>floe features compute --profile</c> to see where time and
/// garbage go; cheap enough to leave on: a few clock reads per chunk). The compute stages run one after another,
/// each using every core inside, so process-wide counters attribute correctly; the write stage runs on the writer
/// beside them, so its wall time overlaps theirs. A stage whose wall time stays put as threads are added is serial.
/// </summary>
internal static class StageTimes
{
    private static readonly string[] Names = Enum.GetNames<Stage>();
    private static readonly long[] Cpu = new long[Names.Length];
    private static readonly long[] Allocated = new long[Names.Length];
    private static readonly long[] Wall = new long[Names.Length];

    /// <summary>The process's CPU time (in <see cref="TimeSpan"/> ticks) and managed allocations so far.</summary>
    public static StageMark Now
    {
        get
        {
            using var p = Process.GetCurrentProcess();
            return new StageMark(p.TotalProcessorTime.Ticks, GC.GetTotalAllocatedBytes(false), Stopwatch.GetTimestamp());
        }
    }

    public static void Add(Stage stage, StageMark since)
    {
        var now = Now;
        Interlocked.Add(ref Cpu[(int)stage], now.CpuTicks - since.CpuTicks);
        Interlocked.Add(ref Allocated[(int)stage], now.AllocatedBytes - since.AllocatedBytes);
        Interlocked.Add(ref Wall[(int)stage], now.WallTimestamp - since.WallTimestamp);
    }

    public static void Reset()
    {
        Array.Clear(Cpu);
        Array.Clear(Allocated);
        Array.Clear(Wall);
    }

    public static string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var parts = new List<string>(Names.Length);
        for (int i = 0; i < Names.Length; i++)
        {
            double wall = (double)Wall[i] / Stopwatch.Frequency;
            parts.Add(string.Create(inv, $"{Names[i].ToLowerInvariant()} {wall:F2} s/{TimeSpan.FromTicks(Cpu[i]).TotalSeconds:F2} CPU-s/{Allocated[i] / 1048576.0:F0} MiB"));
        }
        return "stage wall, CPU and allocations: " + string.Join(", ", parts);
    }
}

/// <summary>The stages of a batch computation that <see cref="StageTimes"/> accounts for.</summary>
internal enum Stage
{
    Read,
    Encode,
    Sort,
    Kernel,
    Permute,
    Output,
    Write,
}

/// <summary>A reading of the process's CPU clock and allocation counter.</summary>
internal readonly record struct StageMark(long CpuTicks, long AllocatedBytes, long WallTimestamp);
