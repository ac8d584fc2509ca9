using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Features.Output;
using Floe.Features.Sources;

namespace Floe.Features.Computation;

/// <summary>
/// The feature engine's batch entry points: events in as Arrow batches from an <see cref="IEventSource"/>, feature
/// rows out as Arrow batches to an <see cref="IFeatureBatchSink"/>. No files and no tables here: hosts (the
/// application layer) open sources and sinks, so a backfill writes batches straight into a table writer and a
/// <c>features compute</c> into a file through the same call.
/// </summary>
public static class FeatureComputation
{
    /// <summary>Checks a definition's text; problems are returned, not thrown.</summary>
    /// <param name="text">The definition.</param>
    /// <param name="format">JSON or YAML.</param>
    /// <param name="origin">Where the text came from, for messages (a file path).</param>
    public static ValidateResult Validate(string text, DefinitionFormat format, string origin = "<definition>")
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = FeatureGroupParser.Validate(text, format);
        return errors.Count > 0
            ? new ValidateResult(false, errors, null)
            : new ValidateResult(true, [], FeatureGroupParser.Parse(text, format, origin));
    }

    /// <summary>
    /// Computes <paramref name="definition"/> over <paramref name="source"/> for output events with time in
    /// [<paramref name="from"/>, <paramref name="to"/>), reading the lookback before <paramref name="from"/> too, and
    /// gives the rows to <paramref name="sink"/> one UTC day at a time, in day order, with the schema
    /// <see cref="OutputSchema"/> gives.
    /// </summary>
    /// <param name="definition">The feature group.</param>
    /// <param name="source">The events.</param>
    /// <param name="from">First event time output (inclusive).</param>
    /// <param name="to">End of the output range (exclusive).</param>
    /// <param name="sink">Receives the rows, a day at a time.</param>
    /// <param name="parallelism">Worker threads; 0 uses every core.</param>
    /// <param name="cancellation">Stops the computation between chunks.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired; rows already given to the sink stay there.</exception>
    /// <exception cref="FloeException">InvalidArgument (range), InvalidData (definition or source).</exception>
    public static ComputeResult Compute(FeatureGroupDefinition definition, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureBatchSink sink,
        int parallelism = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        using var adapter = new BatchSinkAdapter(sink);
        return BatchComputation.Run(definition, source, from, to, adapter, parallelism, cancellation);
    }

    /// <summary>
    /// The Arrow schema of the rows <paramref name="definition"/> computes from events of <paramref name="sourceSchema"/>:
    /// entity key(s), event time, then each feature; every field optional and carrying its Iceberg field id (1..n in
    /// that order) as <see cref="Floe.Core.Arrow.ArrowFieldIds.Key"/> metadata; timestamps as Timestamp(µs, UTC) and
    /// list features as strings.
    /// </summary>
    /// <exception cref="FloeException">InvalidData when the definition does not fit the source schema.</exception>
    public static Apache.Arrow.Schema OutputSchema(FeatureGroupDefinition definition, Apache.Arrow.Schema sourceSchema)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sourceSchema);
        var group = FeatureGroup.Compile(definition, sourceSchema);
        var names = new string[group.OutputSchema.FieldsList.Count];
        for (int i = 0; i < names.Length; i++) { names[i] = group.OutputSchema.FieldsList[i].Name; }
        return FeatureArrow.OutputSchema(names, BatchComputation.EmptyColumns(group));
    }

    /// <summary>Whether the engine reads a source column of <paramref name="type"/> (other columns are skipped by file sources).</summary>
    public static bool ReadsType(Apache.Arrow.Types.IArrowType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Columns.ArrowColumns.KindOf(type) is not null;
    }
}
