using Apache.Arrow;
using Apache.Arrow.Ipc;
using Floe.Core.Arrow;
using Floe.Iceberg.Scan;

namespace Floe.Native;

/// <summary>
/// A planned scan as an <see cref="IArrowArrayStream"/> for <c>CArrowArrayStreamExporter</c>: each
/// <c>get_next</c> reads the next batch from <see cref="TableScan.ReadBatches"/>, so nothing is read ahead, and
/// disposing (the stream's release) stops the reader even when the stream was not consumed to the end.
/// </summary>
internal sealed class ScanBatchStream : IArrowArrayStream
{
    private readonly IEnumerator<RecordBatch> _batches;
    private bool _done;

    /// <summary>Wraps a prepared scan and its planned tasks.</summary>
    public ScanBatchStream(TableScan scan, IReadOnlyList<FileScanTask> tasks)
    {
        Schema = ArrowSchemas.ToArrow(scan.ProjectedSchema);
        _batches = scan.ReadBatches(tasks).GetEnumerator();
    }

    /// <inheritdoc/>
    public Schema Schema { get; }

    /// <summary>The next batch, or null at the end. Exceptions propagate to the exporter, which reports them through <c>get_last_error</c>.</summary>
    public ValueTask<RecordBatch> ReadNextRecordBatchAsync(CancellationToken cancellationToken = default)
    {
        if (_done || !_batches.MoveNext())
        {
            _done = true;
            return new ValueTask<RecordBatch>((RecordBatch)null!);
        }

        return new ValueTask<RecordBatch>(_batches.Current);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _done = true;
        _batches.Dispose();
    }
}
