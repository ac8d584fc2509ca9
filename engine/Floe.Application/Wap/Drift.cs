namespace Floe.Application.Wap;

/// <summary>
/// Distribution drift between a baseline sample (main) and a candidate sample (staging): the population stability
/// index over the baseline's quantile bins, and the two-sample Kolmogorov–Smirnov statistic. Both take sorted arrays.
/// </summary>
public static class Drift
{
    /// <summary>The smallest bin share used in PSI, so an empty bin weighs heavily but finitely.</summary>
    public const double Epsilon = 1e-4;

    /// <summary>
    /// Bin edges: the baseline's <paramref name="bins"/>-quantiles (interior cut points, duplicates removed), so each
    /// baseline bin holds about the same share.
    /// </summary>
    public static double[] QuantileEdges(ReadOnlySpan<double> sortedBaseline, int bins)
    {
        var edges = new List<double>(bins);
        if (sortedBaseline.Length == 0) return [];
        for (int i = 1; i < bins; i++)
        {
            var edge = sortedBaseline[(int)((long)i * sortedBaseline.Length / bins)];
            if (edges.Count == 0 || edge > edges[^1]) edges.Add(edge);
        }
        return edges.ToArray();
    }

    /// <summary>The share of <paramref name="sorted"/> in each bin: (−∞, e0), [e0, e1), …, [e_last, ∞).</summary>
    public static double[] Shares(ReadOnlySpan<double> sorted, ReadOnlySpan<double> edges)
    {
        var shares = new double[edges.Length + 1];
        if (sorted.Length == 0) return shares;
        int start = 0;
        for (int b = 0; b < edges.Length; b++)
        {
            int end = LowerBound(sorted, edges[b]);
            shares[b] = (double)(end - start) / sorted.Length;
            start = end;
        }
        shares[^1] = (double)(sorted.Length - start) / sorted.Length;
        return shares;
    }

    /// <summary>PSI = Σ (c − b) · ln(c / b) over the bins, shares floored at <see cref="Epsilon"/>.</summary>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> sortedBaseline, ReadOnlySpan<double> sortedCandidate, int bins = 10)
    {
        if (sortedBaseline.Length == 0 || sortedCandidate.Length == 0) return 0;
        var edges = QuantileEdges(sortedBaseline, bins);
        var b = Shares(sortedBaseline, edges);
        var c = Shares(sortedCandidate, edges);
        double psi = 0;
        for (int i = 0; i < b.Length; i++)
        {
            double bi = Math.Max(b[i], Epsilon), ci = Math.Max(c[i], Epsilon);
            psi += (ci - bi) * Math.Log(ci / bi);
        }
        return psi;
    }

    /// <summary>KS = max over x of |F_baseline(x) − F_candidate(x)|, by merging the two sorted samples.</summary>
    public static double KolmogorovSmirnov(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        int i = 0, j = 0;
        double d = 0;
        while (i < a.Length && j < b.Length)
        {
            double x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            d = Math.Max(d, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }
        return d;
    }

    private static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
