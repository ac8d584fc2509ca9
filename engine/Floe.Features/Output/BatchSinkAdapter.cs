using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Output;

/// <summary>Feeds the engine's day partitions to a public <see cref="IFeatureBatchSink"/> as Arrow batches.</summary>
internal sealed class BatchSinkAdapter : IFeatureSink
{
    private readonly IFeatureBatchSink _sink;
    private Apache.Arrow.Schema? _schema;
    // The day whose rows were written last and whose EndDay is still to come.
    private DateOnly? _open;

    public BatchSinkAdapter(IFeatureBatchSink sink) => _sink = sink;

    public void WritePartition(DateOnly day, string[] names, ValueVector[] columns, int start, int rows)
    {
        if (rows == 0) { return; }
        _schema ??= FeatureArrow.OutputSchema(names, columns);
        if (_open is { } open && open != day) { _sink.EndDay(open); }
        _open = day;
        // The engine reuses its output arrays chunk after chunk: a sink that keeps batches gets copies.
        _sink.WriteDay(day, FeatureArrow.Batch(_schema, columns, start, rows, copy: _sink.KeepsBatches));
    }

    public IReadOnlyList<string> Complete()
    {
        if (_open is { } open)
        {
            _open = null;
            _sink.EndDay(open);
        }
        return [];
    }

    public void Dispose()
    {
    }
}
