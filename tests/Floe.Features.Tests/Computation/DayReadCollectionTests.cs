using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A day-by-day read beside a large arena collects before each day's first batch, so the day's batches, which a
/// parallel read decodes together, are not allocated beside the previous day's chunk and parts, then garbage
/// (<see cref="BatchComputation.BoundsReadGarbage"/>). The rows are those of a run that does not collect.
/// </summary>
[NonParallelizable]
public sealed class DayReadCollectionTests
{
    private const int Days = 4;

    [Test]
    public void Compute_LargeArena_CollectsBeforeEachDaysRead()
    {
        var (bounded, boundedRows) = Compute(readGarbageArenaBytes: 0);
        var (_, unboundedRows) = Compute(readGarbageArenaBytes: long.MaxValue);

        // The day before the first is read too (the 1d window's lookback; it has no events).
        Assert.That(bounded, Has.Count.EqualTo(Days + 1));
        // Until the first day is computed the arena is empty (the source does not say its days' sizes): nothing to bound.
        for (int d = 2; d <= Days; d++)
        {
            Assert.That(bounded[d], Is.GreaterThan(bounded[d - 1]), $"no collection between read {d - 1} and read {d}");
        }
        Assert.That(boundedRows, Has.Count.GreaterThan(1000));
        Assert.That(boundedRows, Is.EqualTo(unboundedRows));
    }

    // Per day read, the gen2 collections so far when its read began; and the rows.
    private static (List<int> CollectionsAtRead, List<string> Rows) Compute(long readGarbageArenaBytes)
    {
        var events = TestEvents.Random(5, 4_000, 80, Days * 24 * 60 * TestEvents.Minute);
        var definition = FeatureGroupParser.Parse("""
            {"name": "reads", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [
              {"name": "cnt_1h", "agg": "count", "window": "1h"},
              {"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"}]}
            """, DefinitionFormat.Json);
        var source = new ByDay(InMemoryEventSource.FromBatches([events.ToBatch()]));
        var rows = new RowsSink();
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        using var adapter = new BatchSinkAdapter(rows);
        BatchComputation.Run(definition, source, from, from.AddDays(Days), adapter, 1, default, 500, 500, long.MaxValue,
            readGarbageArenaBytes: readGarbageArenaBytes);
        adapter.Complete();
        return (source.CollectionsAtRead, rows.Rows);
    }

    // Read a day at a time, as a day-partitioned table is; each read notes the gen2 collections before its first batch.
    private sealed class ByDay(IEventSource inner) : IEventSource
    {
        public Schema Schema => inner.Schema;

        public List<int> CollectionsAtRead { get; } = [];

        public bool PrunesByTime(string timestampColumn) => true;

        public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
        {
            CollectionsAtRead.Add(GC.CollectionCount(2));
            return inner.Read(timestampColumn, from, to);
        }
    }
}
