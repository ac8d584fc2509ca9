using Apache.Arrow;
using Floe.Features.Output;

namespace Floe.Application.Features;

/// <summary>Collects computed feature rows in memory, for a host that reads them back as Arrow batches in day order.</summary>
public sealed class BatchFeatureOutput : IFeatureBatchSink
{
    private readonly SortedDictionary<DateOnly, RecordBatch> _days = new();
    private readonly object _gate = new();

    /// <summary>Creates an empty output whose batches will have <paramref name="schema"/>.</summary>
    public BatchFeatureOutput(Schema schema) => Schema = schema;

    /// <summary>The schema of every batch.</summary>
    public Schema Schema { get; }

    /// <summary>The batches, one per UTC day of event time, oldest first.</summary>
    public IReadOnlyList<RecordBatch> Batches
    {
        get
        {
            lock (_gate)
            {
                return _days.Values.ToList();
            }
        }
    }

    /// <inheritdoc/>
    public void WriteDay(DateOnly day, RecordBatch rows)
    {
        // Days may arrive from worker threads (one at a time, but not necessarily the caller's).
        lock (_gate)
        {
            _days[day] = rows;
        }
    }
}
