using System.Diagnostics;

namespace Floe.Features.Diagnostics;

/// <summary>
/// Process CPU time spent per stage of a batch computation, accumulated across runs in this process (read by the
/// benchmarks to see where time goes on a shared machine, where wall time is noise; cheap enough to leave on: a
/// few clock reads per chunk). Stages run one after another, each using every core inside.
/// </summary>
internal static class StageTimes
{
    public static long Read, Encode, Sort, Kernel, Permute, Output, Write;

    /// <summary>The process's CPU time so far, in <see cref="TimeSpan"/> ticks.</summary>
    public static long Now
    {
        get
        {
            using var p = Process.GetCurrentProcess();
            return p.TotalProcessorTime.Ticks;
        }
    }

    public static void Add(ref long stage, long since) => Interlocked.Add(ref stage, Now - since);

    public static void Reset() => Read = Encode = Sort = Kernel = Permute = Output = Write = 0;

    public static string Describe()
    {
        static string S(long t) => TimeSpan.FromTicks(t).TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        return $"CPU-s: read {S(Read)}, encode {S(Encode)}, sort {S(Sort)}, kernel {S(Kernel)}, permute {S(Permute)}, output {S(Output)}, write {S(Write)}";
    }
}
