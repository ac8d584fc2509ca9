using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A batch sink may keep the batches it is given (<see cref="IFeatureBatchSink.WriteDay"/>): the batch run pools its
/// per-chunk output arrays, so a kept batch must not share them with later chunks. Checked with enough events for
/// several chunks: every kept batch must still hold, at the end, the values it held when it was handed over.
/// </summary>
public sealed class BatchSinkOwnershipTests
{
    // ~50k events a day over 6 days (~27k in the fast pass): chunks of a few days each (BatchComputation.MaxChunkRows),
    // more than one. Both tests read the same events, which no run changes: made once.
    private static readonly Lazy<(TestEvents Events, RecordBatch Batch)> Events = new(() =>
    {
        var events = TestEvents.Clean(7, TestTier.Size(160_000, 300_000), 400, 6 * 24 * 60 * TestEvents.Minute, dirty: true);
        return (events, events.ToBatch());
    });

    /// <summary>
    /// The premise of both tests, whatever the size: a chunk takes whole days while they fit
    /// <see cref="BatchComputation.MaxChunkRows"/>, so the events take more than one chunk, and any two days fit one.
    /// </summary>
    private static void AssertSeveralChunksOfSeveralDays(TestEvents events)
    {
        var perDay = events.Time.Take(events.Length).GroupBy(t => t / (86_400L * 1_000_000)).Select(g => g.Count()).ToList();
        Assert.That(perDay.Sum(), Is.GreaterThan(BatchComputation.MaxChunkRows), "the events take more than one chunk");
        Assert.That(2 * perDay.Max(), Is.LessThanOrEqualTo(BatchComputation.MaxChunkRows), "a chunk holds several days");
    }

    [Test]
    [Category(TestTier.Sweep)]
    public void Compute_SinkKeepsBatches_LaterChunksDoNotOverwriteThem()
    {
        var (events, input) = Events.Value;
        AssertSeveralChunksOfSeveralDays(events);
        var source = InMemoryEventSource.FromBatches([input]);
        var sink = new KeepingSink();
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        var result = FeatureComputation.Compute(TestDefinitions.FastAggregations(), source, from, from.AddDays(7), sink);

        Assert.That(result.RowsWritten, Is.EqualTo(events.Length));
        Assert.That(sink.Batches, Has.Count.GreaterThan(3));
        for (int b = 0; b < sink.Batches.Count; b++)
        {
            Assert.That(Checksums(sink.Batches[b]), Is.EqualTo(sink.AtHandover[b]), $"batch {b} changed after it was handed over");
        }
    }

    [Test]
    [Category(TestTier.Sweep)]
    public void Compute_RangeCutsDays_EachDayWrittenOnceWithOnlyItsRowsInRange()
    {
        // From and to fall inside days (and inside chunks of several days): those days keep only their rows in
        // range, whole days are written whole, and every day goes to the sink once, in order.
        var (events, input) = Events.Value;
        AssertSeveralChunksOfSeveralDays(events);
        var source = InMemoryEventSource.FromBatches([input]);
        var sink = new KeepingSink();
        var epoch = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        var from = epoch.AddHours(30.5);
        var to = epoch.AddHours(4 * 24 + 7);
        var result = FeatureComputation.Compute(TestDefinitions.FastAggregations(), source, from, to, sink);

        long fromMicros = from.ToUnixTimeMilliseconds() * 1000, toMicros = to.ToUnixTimeMilliseconds() * 1000;
        var expected = events.Time.Take(events.Length).Where(t => t >= fromMicros && t < toMicros)
            .GroupBy(t => DateOnly.FromDateTime(DateTimeOffset.UnixEpoch.AddTicks(t * 10).UtcDateTime))
            .OrderBy(g => g.Key).Select(g => $"{g.Key:yyyy-MM-dd} {g.Count()}").ToList();
        var written = new List<string>();
        foreach (var (day, batch) in sink.Days.Zip(sink.Batches))
        {
            var time = (TimestampArray)batch.Column(batch.Schema.GetFieldIndex("event_time"));
            for (int i = 0; i < batch.Length; i++)
            {
                var t = time.GetValue(i)!.Value;
                // NUnit (a constraint and a message object) only for a row out of place: per row it cost more than the run.
                if (!(t >= fromMicros && t < toMicros && DateOnly.FromDateTime(DateTimeOffset.UnixEpoch.AddTicks(t * 10).UtcDateTime) == day))
                {
                    Assert.Fail($"{day}: row {i} at {t}");
                }
            }
            written.Add($"{day:yyyy-MM-dd} {batch.Length}");
        }
        Assert.That(written, Is.EqualTo(expected));
        Assert.That(result.RowsWritten, Is.EqualTo(expected.Sum(e => long.Parse(e.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(result.Partitions, Is.EqualTo(expected.Count));
    }

    private sealed class KeepingSink : IFeatureBatchSink
    {
        public List<RecordBatch> Batches { get; } = [];

        public List<DateOnly> Days { get; } = [];

        public List<ulong[]> AtHandover { get; } = [];

        public void WriteDay(DateOnly day, RecordBatch rows)
        {
            Batches.Add(rows);
            Days.Add(day);
            AtHandover.Add(Checksums(rows));
        }
    }

    // One hash per column of every row's validity and value.
    private static ulong[] Checksums(RecordBatch batch)
    {
        var sums = new ulong[batch.ColumnCount];
        var bits = new long[batch.Length];
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            var column = batch.Column(c);
            if (column is StringArray strings)
            {
                for (int i = 0; i < batch.Length; i++) { bits[i] = strings.IsNull(i) ? long.MinValue : strings.GetString(i).GetHashCode(StringComparison.Ordinal); }
            }
            else
            {
                ColumnBits.Read(column, bits);
            }
            ulong hash = 14695981039346656037UL;
            foreach (long b in bits) { hash = (hash ^ (ulong)b) * 1099511628211UL; }
            sums[c] = hash;
        }
        return sums;
    }
}
