namespace Floe.Benchmarks.E2E.Commit;

/// <summary>Median and p95 of a list of samples in milliseconds.</summary>
internal static class Latency
{
    public static (double Median, double P95) Of(List<double> samples)
    {
        if (samples.Count == 0) return (double.NaN, double.NaN);
        var sorted = new List<double>(samples);
        sorted.Sort();
        return (At(sorted, 0.5), At(sorted, 0.95));
    }

    private static double At(List<double> sorted, double q)
    {
        var index = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
