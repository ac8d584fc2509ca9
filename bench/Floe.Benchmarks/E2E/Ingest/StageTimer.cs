using System.Diagnostics;

namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// Times a stage in wall-clock and in process CPU seconds (all threads). On a shared 2-core machine the CPU
/// seconds are the steadier number: other tenants stretch wall time but not the work a stage does.
/// </summary>
internal sealed class StageTimer
{
    private readonly Stopwatch _wall = new();
    private TimeSpan _cpuStart;

    public static StageTimer Start()
    {
        var t = new StageTimer();
        t.Restart();
        return t;
    }

    public void Restart()
    {
        _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        _wall.Restart();
    }

    /// <summary>Records <c>{name}_s</c> and <c>{name}_cpu_s</c> into <paramref name="m"/>, then restarts.</summary>
    public void Lap(Measurement m, string name)
    {
        m[name + "_s"] = _wall.Elapsed.TotalSeconds;
        m[name + "_cpu_s"] = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
        Restart();
    }
}
