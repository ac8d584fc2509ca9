using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// The batch run's front: with two workers a batch's days are numbered and its times filed beside its encoding
/// (<see cref="DayFiler.Prepare"/>), with one they are not. Several source batches, some cut by the requested range
/// (events before the lookback and after <c>to</c> are dropped before encoding, so the times filed are a new array),
/// must give the same rows, bit for bit, either way.
/// </summary>
public sealed class BatchFrontTests
{
    [TestCase(21)]
    // The same premise with another seed: the deep pass.
    [TestCase(22, Category = TestTier.Deep)]
    public void Compute_BatchesCutByTheRange_TwoWorkersGiveTheOneWorkerRows(int seed)
    {
        // 12 days of events in 5 batches; output days 4-9, so the 1-day windows' lookback reaches day 3.
        var events = TestEvents.Clean(seed, 120_000, 300, 12 * 24 * 60 * TestEvents.Minute, dirty: true);
        var batches = new List<RecordBatch>();
        for (int start = 0; start < events.Length; start += 24_000) { batches.Add(events.ToBatch(start, Math.Min(24_000, events.Length - start))); }
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10).AddDays(4);
        var to = from.AddDays(6);

        var one = new CollectingSink();
        var two = new CollectingSink();
        var r1 = FeatureComputation.Compute(TestDefinitions.FastAggregations(), InMemoryEventSource.FromBatches(batches), from, to, one, parallelism: 1);
        var r2 = FeatureComputation.Compute(TestDefinitions.FastAggregations(), InMemoryEventSource.FromBatches(batches), from, to, two, parallelism: 2);

        long inRange = 0;
        long fromMicros = from.ToUnixTimeMilliseconds() * 1000, toMicros = to.ToUnixTimeMilliseconds() * 1000;
        for (int i = 0; i < events.Length; i++) { inRange += events.Time[i] >= fromMicros && events.Time[i] < toMicros ? 1 : 0; }
        Assert.That(r1.RowsWritten, Is.EqualTo(inRange));
        Assert.That(r2.RowsWritten, Is.EqualTo(r1.RowsWritten));
        Assert.That(r2.EventsRead, Is.EqualTo(r1.EventsRead));
        Assert.That(two.Days, Is.EqualTo(one.Days));
        Assert.That(two.Rows, Has.Count.EqualTo(one.Rows.Count));
        for (int d = 0; d < one.Rows.Count; d++) { Same.Sequence(two.Rows[d], one.Rows[d], $"day {one.Days[d]}"); }
    }

    private sealed class CollectingSink : IFeatureBatchSink
    {
        public List<DateOnly> Days { get; } = [];

        // Each day's rows: every column's values as bits (nulls as long.MinValue), column after column.
        public List<long[]> Rows { get; } = [];

        public void WriteDay(DateOnly day, RecordBatch rows)
        {
            Days.Add(day);
            var values = new long[(long)rows.ColumnCount * rows.Length];
            for (int c = 0; c < rows.ColumnCount; c++) { ColumnBits.Read(rows.Column(c), values.AsSpan(c * rows.Length, rows.Length)); }
            Rows.Add(values);
        }
    }
}
