using Apache.Arrow;
using Floe.Features.Sources;

namespace Floe.Application.Features;

/// <summary>
/// Events a host already holds in memory (the C ABI's Arrow stream): every read yields all batches, which the
/// contract allows since the engine filters by time itself.
/// </summary>
public sealed class BatchEventSource : IEventSource
{
    private readonly IReadOnlyList<RecordBatch> _batches;

    /// <summary>Wraps batches that all have <paramref name="schema"/>; they stay the caller's to dispose.</summary>
    public BatchEventSource(Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        Schema = schema;
        _batches = batches;
    }

    /// <inheritdoc/>
    public Schema Schema { get; }

    /// <inheritdoc/>
    public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to) => _batches;
}
