using Apache.Arrow;

namespace Floe.Features.Output;

/// <summary>
/// Receives computed feature rows as Arrow batches, one UTC day of event time at a time and in day order: the
/// public face of the engine's sinks, for hosts that put rows somewhere other than a file (a feature table).
/// Batches have the schema <see cref="Computation.FeatureComputation.OutputSchema"/> gives (field ids 1..n), and the
/// values a Parquet or CSV output of <c>features compute</c> would hold.
/// </summary>
public interface IFeatureBatchSink
{
    /// <summary>
    /// Takes the rows of <paramref name="day"/> (every output row whose event time falls on that UTC date). Called at
    /// most once per day, on one thread at a time (possibly not the caller's), never for a day without rows.
    /// The batch is the sink's to keep.
    /// </summary>
    void WriteDay(DateOnly day, RecordBatch rows);
}
