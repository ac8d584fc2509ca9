using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A source read day by day (a day-partitioned table) whose entity, time and filter columns can be read alone: the run
/// reads those first, day by day, and lays out each entity's room in the event arena once, where without that pass
/// the regions grow by rebuilds as the days come (as they still do where the arena is too small to pay for the pass).
/// The events' reads then find the ids the first pass handed out, so the output is the same row for row, in the same
/// order.
/// </summary>
public sealed class DayByDayRoomsTests
{
    private const int Days = 5;

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    public void Compute_KeysReadFirst_ArenaLaidOutOnceAndSameRows(int seed, int parallelism)
    {
        var events = TestEvents.Random(seed, 6_000, 150, Days * 24 * 60 * TestEvents.Minute);
        // The longest window covers the run, so each entity's room is all its events and no region ever moves; the
        // filter reads a column no feature reads, which the first pass must read too.
        var definition = FeatureGroupParser.Parse("""
            {"name": "rooms", "version": 1, "entity": "entity_id", "timestamp": "event_time", "filter": "qty > 0", "features": [
              {"name": "cnt_1h", "agg": "count", "window": "1h"},
              {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"},
              {"name": "amount_max_7d", "agg": "max", "column": "amount", "window": "7d"}]}
            """, DefinitionFormat.Json);
        var inner = InMemoryEventSource.FromBatches([events.ToBatch()]);

        var planned = new DayPartitioned(inner, narrows: true);
        var (presized, presizedRows) = Compute(definition, planned, parallelism, 0);
        var (grown, grownRows) = Compute(definition, new DayPartitioned(inner, narrows: false), parallelism, 0);
        var (small, smallRows) = Compute(definition, new DayPartitioned(inner, narrows: true), parallelism, long.MaxValue);
        var (_, oneScanRows) = Compute(definition, inner, parallelism, 0);

        Assert.That(grown.Reallocations + grown.Compactions, Is.GreaterThan(0), "without the first pass the regions grow by rebuilds");
        Assert.That(small.Reallocations + small.Compactions, Is.GreaterThan(0), "an arena below the size that pays for the first pass is not planned");
        Assert.That(smallRows, Is.EqualTo(grownRows));
        Assert.That(presized.Reallocations + presized.Compactions, Is.Zero, "the arena was rebuilt: the rooms were not planned from the keys");
        Assert.That(presizedRows, Has.Count.GreaterThan(1000));
        Assert.That(presizedRows, Is.EqualTo(grownRows), "same rows in the same order");
        Assert.That(presizedRows.Order(StringComparer.Ordinal), Is.EqualTo(oneScanRows.Order(StringComparer.Ordinal)), "same rows as one scan");
        // The run's last two days have no events (no files, by the source's day sizes): neither pass reads them.
        Assert.That(planned.DaysRead, Has.Count.GreaterThanOrEqualTo(2 * Days));
        Assert.That(planned.DaysRead.Where(d => d >= Days), Is.Empty, "a day with no events was read");
    }

    [Test]
    public void Compute_Cancelled_StopsBeforeTheKeyPassReads()
    {
        var events = TestEvents.Random(3, 2_000, 50, Days * 24 * 60 * TestEvents.Minute);
        var definition = FeatureGroupParser.Parse("""
            {"name": "rooms", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [
              {"name": "amount_sum_7d", "agg": "sum", "column": "amount", "window": "7d"}]}
            """, DefinitionFormat.Json);
        var source = new DayPartitioned(InMemoryEventSource.FromBatches([events.ToBatch()]), narrows: true);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        using var adapter = new BatchSinkAdapter(new RowsSink());

        Assert.That(() => BatchComputation.Run(definition, source, from, from.AddDays(Days), adapter, 1, cancelled.Token, 500, 500, 0),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(source.DaysRead, Is.Empty, "days were read after the run was cancelled");
    }

    private static (EventArena Arena, List<string> Rows) Compute(FeatureGroupDefinition definition, IEventSource source, int parallelism, long keysFirstArenaBytes)
    {
        var rows = new RowsSink();
        EventArena? arena = null;
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        using var adapter = new BatchSinkAdapter(rows);
        BatchComputation.Run(definition, source, from, from.AddDays(Days + 2), adapter, parallelism, default, 500, 500, keysFirstArenaBytes, a => arena = a);
        adapter.Complete();
        return (arena!, rows.Rows);
    }

    // A table partitioned by day over the same events: read a day at a time, and its columns selectable when narrows.
    private sealed class DayPartitioned(IEventSource inner, bool narrows, IReadOnlyList<Field>? fields = null, List<long>? daysRead = null) : IEventSource
    {
        public Schema Schema { get; } = fields is null ? inner.Schema : new Schema(fields, null);

        // Each read's first day, counted from the events' first day (narrowed copies share the list).
        public List<long> DaysRead { get; } = daysRead ?? [];

        public bool PrunesByTime(string timestampColumn) => true;

        // The events of each day, as a table's files' record counts give them.
        public IReadOnlyDictionary<long, long>? EventsPerDay(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
        {
            var perDay = new Dictionary<long, long>();
            foreach (var batch in inner.Read(timestampColumn, from, to))
            {
                var time = (TimestampArray)batch.Column(batch.Schema.GetFieldIndex(timestampColumn));
                for (int i = 0; i < time.Length; i++)
                {
                    long day = Durations.FloorDay(time.GetValue(i)!.Value);
                    perDay[day] = perDay.GetValueOrDefault(day) + 1;
                }
            }
            return perDay;
        }

        public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
        {
            if (from is { } f) { DaysRead.Add(Durations.FloorDay((f.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10) - Durations.FloorDay(TestEvents.Epoch)); }
            foreach (var batch in inner.Read(timestampColumn, from, to))
            {
                if (fields is null)
                {
                    yield return batch;
                    continue;
                }
                var arrays = new IArrowArray[fields.Count];
                for (int c = 0; c < arrays.Length; c++) { arrays[c] = batch.Column(batch.Schema.GetFieldIndex(fields[c].Name)); }
                yield return new RecordBatch(Schema, arrays, batch.Length);
            }
        }

        public IEventSource Select(IReadOnlySet<string> columns) =>
            narrows && SourceColumns.Narrow(Schema, columns) is { } narrowed ? new DayPartitioned(inner, narrows, narrowed, DaysRead) : this;
    }
}
