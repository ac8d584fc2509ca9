using Apache.Arrow;
using Floe.Features.Output;

namespace Floe.Features.Tests.Support;

/// <summary>A batch run's sink that keeps every row as text (<see cref="RowText"/>), in the order written.</summary>
internal sealed class RowsSink : IFeatureBatchSink
{
    public List<string> Rows { get; } = [];

    public bool KeepsBatches => false;

    public void WriteDay(DateOnly day, RecordBatch rows) => RowText.AppendRows(rows, Rows);
}
