namespace Floe.Features.Definitions;

/// <summary>One feature of a group: either a windowed aggregation or a row expression.</summary>
public sealed class FeatureDefinition
{
    /// <summary>Creates a feature definition (use <see cref="FeatureGroupParser"/> to get validated ones).</summary>
    public FeatureDefinition(string name, AggregationKind? aggregation, string? column, Window window, int n, string? expression)
    {
        Name = name;
        Aggregation = aggregation;
        Column = column;
        Window = window;
        N = n;
        Expression = expression;
    }

    /// <summary>The output column name.</summary>
    public string Name { get; }

    /// <summary>The aggregation, or null for an expression feature.</summary>
    public AggregationKind? Aggregation { get; }

    /// <summary>The aggregated column or row expression; null for <c>count</c> of events.</summary>
    public string? Column { get; }

    /// <summary>The window (aggregations only).</summary>
    public Window Window { get; }

    /// <summary>How many values <c>last_n</c> keeps; 0 otherwise.</summary>
    public int N { get; }

    /// <summary>The row expression of an expression feature, or null.</summary>
    public string? Expression { get; }

    /// <summary>True when this is a windowed aggregation.</summary>
    public bool IsAggregation => Aggregation.HasValue;
}
