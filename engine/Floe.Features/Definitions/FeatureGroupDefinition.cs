namespace Floe.Features.Definitions;

/// <summary>A validated, declarative feature group (see engine/Floe.Features/docs/features.md for the schema and semantics).</summary>
public sealed class FeatureGroupDefinition
{
    /// <summary>Creates a definition (use <see cref="FeatureGroupParser"/> to get validated ones).</summary>
    public FeatureGroupDefinition(
        string name,
        int version,
        IReadOnlyList<string> entity,
        string timestamp,
        SourceDefinition? source,
        string? filter,
        IReadOnlyList<FeatureDefinition> features,
        string? outputTable = null)
    {
        OutputTable = outputTable ?? "features." + name;
        Name = name;
        Version = version;
        Entity = entity;
        Timestamp = timestamp;
        Source = source;
        Filter = filter;
        Features = features;
    }

    /// <summary>The group name.</summary>
    public string Name { get; }

    /// <summary>The group version (positive).</summary>
    public int Version { get; }

    /// <summary>The entity key column(s).</summary>
    public IReadOnlyList<string> Entity { get; }

    /// <summary>The event-time column.</summary>
    public string Timestamp { get; }

    /// <summary>The event source, or null when the caller always supplies one.</summary>
    public SourceDefinition? Source { get; }

    /// <summary>
    /// The Iceberg feature table backfills write (<c>namespace.table</c>): the definition's <c>output.table</c>,
    /// default <c>features.&lt;name&gt;</c>.
    /// </summary>
    public string OutputTable { get; }

    /// <summary>The optional row filter expression; rows where it is not true are dropped before aggregation.</summary>
    public string? Filter { get; }

    /// <summary>The features, in output order.</summary>
    public IReadOnlyList<FeatureDefinition> Features { get; }

    /// <summary>The longest bounded window in microseconds, <see cref="long.MaxValue"/> when any is unbounded, 0 with none.</summary>
    public long LongestWindowMicros
    {
        get
        {
            long longest = 0;
            foreach (var f in Features)
            {
                if (f.IsAggregation && f.Window.Micros > longest)
                {
                    longest = f.Window.Micros;
                }
            }
            return longest;
        }
    }
}
