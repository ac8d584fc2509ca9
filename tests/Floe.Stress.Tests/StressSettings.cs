using System.Globalization;

namespace Floe.Stress.Tests;

/// <summary>Sizes of the stress and crash suites; each can be raised (or lowered) through an environment variable.</summary>
internal static class StressSettings
{
    /// <summary>Concurrent writer processes (FLOE_STRESS_WRITERS, default 4).</summary>
    public static int Writers => Get("FLOE_STRESS_WRITERS", 4);

    /// <summary>
    /// Commits each writer attempts (FLOE_STRESS_COMMITS; default 50 with the NativeAOT CLI, 25 with the JIT floe.dll,
    /// whose every process spends ~0.3 s of CPU starting up, to stay near two minutes on two cores).
    /// </summary>
    public static int CommitsPerWriter(FloeCli cli) => Get("FLOE_STRESS_COMMITS", cli.IsJit ? 25 : 50);

    /// <summary>Killed-writer runs of the crash suite (FLOE_CRASH_RUNS, default 100).</summary>
    public static int CrashRuns => Get("FLOE_CRASH_RUNS", 100);

    /// <summary>Seed of the random choices (FLOE_STRESS_SEED, default: a new one, printed so a failure can be replayed).</summary>
    public static int Seed { get; } = Get("FLOE_STRESS_SEED", Random.Shared.Next());

    private static int Get(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
