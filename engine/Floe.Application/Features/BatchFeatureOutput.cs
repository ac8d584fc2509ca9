using Apache.Arrow;
using Floe.Features.Output;

namespace Floe.Application.Features;

/// <summary>Collects computed feature rows in memory, for a host that reads them back as Arrow batches in day order.</summary>
public sealed class BatchFeatureOutput : IFeatureBatchSink
{
    private readonly SortedDictionary<DateOnly, List<RecordBatch>> _days = new();
    private readonly object _gate = new();

    /// <summary>Creates an empty output whose batches will have <paramref name="schema"/>.</summary>
    public BatchFeatureOutput(Schema schema) => Schema = schema;

    /// <summary>The schema of every batch.</summary>
    public Schema Schema { get; }

    /// <summary>The batches in UTC day order of event time, oldest first: one per day, or several for a day of many events.</summary>
    public IReadOnlyList<RecordBatch> Batches
    {
        get
        {
            lock (_gate)
            {
                return _days.Values.SelectMany(day => day).ToList();
            }
        }
    }

    /// <inheritdoc/>
    public void WriteDay(DateOnly day, RecordBatch rows)
    {
        // Days may arrive from worker threads (one at a time, but not necessarily the caller's).
        lock (_gate)
        {
            if (!_days.TryGetValue(day, out var batches)) { _days[day] = batches = new List<RecordBatch>(1); }
            batches.Add(rows);
        }
    }
}
