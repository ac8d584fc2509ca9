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
    /// Takes rows of <paramref name="day"/> (output rows whose event time falls on that UTC date), in (entity, time)
    /// order: a day's rows in one call, or a day of many events in several calls one after the other, then
    /// <see cref="EndDay"/>. Called on one thread at a time (possibly not the caller's), never with no rows.
    /// The batch is the sink's to keep.
    /// </summary>
    void WriteDay(DateOnly day, RecordBatch rows);

    /// <summary>
    /// Called once after the last <see cref="WriteDay"/> of <paramref name="day"/>, before any row of a later day,
    /// on the same terms; not called when the computation fails or is cancelled first.
    /// </summary>
    void EndDay(DateOnly day)
    {
    }

    /// <summary>
    /// True (the default): the sink may keep the batches it is given, so each batch owns its buffers. A sink that is
    /// done with a batch when <see cref="WriteDay"/> returns (it encodes or copies the rows and keeps no reference to
    /// the batch) returns false and is given batches over the engine's buffers, which the engine reuses afterwards:
    /// one copy of every output value fewer.
    /// </summary>
    bool KeepsBatches => true;
}
