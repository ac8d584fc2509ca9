namespace Floe.Features.Definitions;

/// <summary>The sliding-window aggregations a feature may use (names as written in definitions in brackets).</summary>
public enum AggregationKind
{
    /// <summary><c>count</c>: events in the window (with a column: events whose value is not null). Never null.</summary>
    Count,
    /// <summary><c>sum</c>: exact sum of non-null values, correctly rounded for floating point.</summary>
    Sum,
    /// <summary><c>mean</c>: sum / count of non-null values.</summary>
    Mean,
    /// <summary><c>min</c>: smallest non-null value.</summary>
    Min,
    /// <summary><c>max</c>: largest non-null value.</summary>
    Max,
    /// <summary><c>variance</c>: sample variance (n - 1 denominator) of non-null values; null below two values.</summary>
    Variance,
    /// <summary><c>stddev</c>: square root of <see cref="Variance"/>.</summary>
    Stddev,
    /// <summary><c>first</c>: the earliest non-null value in the window (ties: first in input order).</summary>
    First,
    /// <summary><c>last</c>: the latest non-null value in the window (ties: last in input order).</summary>
    Last,
    /// <summary><c>count_distinct</c>: exact number of distinct non-null values. Never null.</summary>
    CountDistinct,
    /// <summary><c>last_n</c>: list of the latest <c>n</c> non-null values, oldest first; null when none.</summary>
    LastN,
}
