using System.Runtime.InteropServices;

namespace Floe.Features.Diagnostics;

/// <summary>
/// CPU time of the calling thread (Linux; zero elsewhere). A stage's own thread's CPU is the part of it that does
/// not spread over the cores: process CPU also counts the writer and the other workers running beside it.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>The calling thread's CPU time in <see cref="TimeSpan"/> ticks.</summary>
    public static long Ticks
    {
        get
        {
            if (!OperatingSystem.IsLinux()) { return 0; }
            try
            {
                return ClockGetTime(ClockThreadCpuTime, out var ts) == 0 ? (ts.Seconds * TimeSpan.TicksPerSecond) + (ts.Nanoseconds / 100) : 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return 0;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
