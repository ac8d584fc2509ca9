using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Floe.Native;

/// <summary>
/// Batches already in memory as an <see cref="IArrowArrayStream"/> for <c>CArrowArrayStreamExporter</c>. It also
/// owns what those batches may point into (the host's imported input), which it frees only when the consumer
/// releases the stream.
/// </summary>
internal sealed class BatchListStream : IArrowArrayStream
{
    private readonly IReadOnlyList<RecordBatch> _batches;
    private readonly IReadOnlyList<IDisposable> _owned;
    private int _next;

    /// <summary>Wraps <paramref name="batches"/> of <paramref name="schema"/>, keeping <paramref name="owned"/> alive until disposed.</summary>
    public BatchListStream(Schema schema, IReadOnlyList<RecordBatch> batches, IReadOnlyList<IDisposable> owned)
    {
        Schema = schema;
        _batches = batches;
        _owned = owned;
    }

    /// <inheritdoc/>
    public Schema Schema { get; }

    /// <summary>The next batch, or null at the end.</summary>
    public ValueTask<RecordBatch> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default) =>
        new(_next < _batches.Count ? _batches[_next++] : (RecordBatch)null!);

    /// <inheritdoc/>
    public void Dispose()
    {
        _next = _batches.Count;
        // Newest first: batches before the stream they came from.
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }
}
