namespace Floe.Features.Diagnostics;

/// <summary>
/// Where a batch feature computation spent its time: per stage (read, encode, file, sort, kernel, permute, output, write, write wait),
/// wall seconds, process CPU seconds and managed allocations, summed over every computation in this process since the
/// last <see cref="Reset"/>. For profiling (<c>floe features compute --profile</c>), not for results.
/// </summary>
public static class StageProfile
{
    /// <summary>Starts the sums again from zero.</summary>
    public static void Reset() => StageTimes.Reset();

    /// <summary>One line: each stage's wall seconds, CPU seconds and MiB allocated.</summary>
    public static string Describe() => StageTimes.Describe();
}
