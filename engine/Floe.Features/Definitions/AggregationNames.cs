namespace Floe.Features.Definitions;

/// <summary>Maps aggregation names as written in definitions to <see cref="AggregationKind"/>.</summary>
public static class AggregationNames
{
    /// <summary>Every accepted name, in documentation order.</summary>
    public static readonly string[] All =
        ["count", "sum", "mean", "min", "max", "variance", "stddev", "first", "last", "count_distinct", "last_n"];

    /// <summary>Parses a name (case-sensitive; <c>avg</c>, <c>var</c> and <c>std</c> are accepted aliases).</summary>
    public static bool TryParse(string name, out AggregationKind kind)
    {
        switch (name)
        {
            case "count": kind = AggregationKind.Count; return true;
            case "sum": kind = AggregationKind.Sum; return true;
            case "mean": case "avg": kind = AggregationKind.Mean; return true;
            case "min": kind = AggregationKind.Min; return true;
            case "max": kind = AggregationKind.Max; return true;
            case "variance": case "var": kind = AggregationKind.Variance; return true;
            case "stddev": case "std": kind = AggregationKind.Stddev; return true;
            case "first": kind = AggregationKind.First; return true;
            case "last": kind = AggregationKind.Last; return true;
            case "count_distinct": kind = AggregationKind.CountDistinct; return true;
            case "last_n": kind = AggregationKind.LastN; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>The canonical name of <paramref name="kind"/>.</summary>
    public static string Name(AggregationKind kind) => All[(int)kind];
}
