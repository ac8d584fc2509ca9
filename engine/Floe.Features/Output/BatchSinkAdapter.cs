using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Output;

/// <summary>Feeds the engine's day partitions to a public <see cref="IFeatureBatchSink"/> as Arrow batches.</summary>
internal sealed class BatchSinkAdapter : IFeatureSink
{
    private readonly IFeatureBatchSink _sink;
    private Apache.Arrow.Schema? _schema;

    public BatchSinkAdapter(IFeatureBatchSink sink) => _sink = sink;

    public void WritePartition(DateOnly day, string[] names, ValueVector[] columns, int start, int rows)
    {
        if (rows == 0) { return; }
        _schema ??= FeatureArrow.OutputSchema(names, columns);
        // The engine reuses its output arrays chunk after chunk: a sink that keeps batches gets copies.
        _sink.WriteDay(day, FeatureArrow.Batch(_schema, columns, start, rows, copy: _sink.KeepsBatches));
    }

    public IReadOnlyList<string> Complete() => [];

    public void Dispose()
    {
    }
}
