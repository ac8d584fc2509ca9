using Apache.Arrow;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A day read as several batches (a table's row groups) is cut into parts by entity range from its batches' pieces
/// (<see cref="EntityRanges.Plan(IReadOnlyList{EventChunk}, int, int)"/>), not from their concatenation, which held
/// the day twice while it was made: the parts must be those of the concatenation, event for event, and the rows
/// those of whole days.
/// </summary>
public sealed class DayPiecesTests
{
    [Test]
    public void Plan_Pieces_SamePartsAsTheirConcatenation()
    {
        var rnd = new Random(7);
        // Three pieces of uneven sizes, only the middle one with null flags; entity 4 larger than a part.
        var pieces = new List<EventChunk>();
        int time = 0;
        foreach (var (length, nulls) in new[] { (230, false), (170, true), (310, false) })
        {
            var entity = new int[length];
            var times = new long[length];
            var bits = new long[length];
            var valid = nulls ? new bool[length] : null;
            for (int i = 0; i < length; i++)
            {
                entity[i] = rnd.Next(5) == 0 ? 4 : rnd.Next(12);
                times[i] = time++;
                bits[i] = rnd.NextInt64();
                if (valid is not null) { valid[i] = rnd.Next(3) > 0; }
            }
            pieces.Add(new EventChunk(length, new Dictionary<string, ValueVector>(), entity, times, [bits], [valid]));
        }
        var whole = EventChunk.Concat(pieces);

        var fromPieces = EntityRanges.Plan(pieces, 12, 100);
        var fromWhole = EntityRanges.Plan(whole, 12, 100);

        Assert.That(fromPieces, Is.Not.Null);
        Assert.That(fromPieces!.Count, Is.EqualTo(fromWhole!.Count));
        for (int p = 0; p < fromWhole.Count; p++)
        {
            var a = fromPieces.Take(p, new ChunkArrays(), parallelism: 2);
            var b = fromWhole.Take(p, new ChunkArrays(), parallelism: 2);
            Assert.That(a.Length, Is.EqualTo(b.Length), $"part {p}");
            Assert.That(a.Entity.AsSpan(0, a.Length).ToArray(), Is.EqualTo(b.Entity.AsSpan(0, b.Length).ToArray()), $"part {p}'s entities");
            Assert.That(a.Time.AsSpan(0, a.Length).ToArray(), Is.EqualTo(b.Time.AsSpan(0, b.Length).ToArray()), $"part {p}'s times");
            Assert.That(a.SlotBits[0].AsSpan(0, a.Length).ToArray(), Is.EqualTo(b.SlotBits[0].AsSpan(0, b.Length).ToArray()), $"part {p}'s values");
            Assert.That(a.SlotValid[0]!.AsSpan(0, a.Length).ToArray(), Is.EqualTo(b.SlotValid[0]!.AsSpan(0, b.Length).ToArray()), $"part {p}'s flags");
        }
        Assert.That(EntityRanges.Plan(pieces, 12, whole.Length), Is.Null, "pieces that fit are one part");
    }

    [TestCase(1, false)]
    [TestCase(2, false)]
    [TestCase(2, true)]
    public void Compute_DaysOfSeveralBatchesInParts_SameRowsAsWholeDays(int parallelism, bool expression)
    {
        const int Days = 4;
        var events = TestEvents.Random(9, 6_000, 150, Days * 24 * 60 * TestEvents.Minute);
        // Three batches, each spread over every day: each day is read as three pieces. An expression feature keeps
        // source columns in the pieces, which are then concatenated.
        var definition = FeatureGroupParser.Parse($$"""
            {"name": "pieces", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [
              {"name": "cnt_1h", "agg": "count", "window": "1h"},
              {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"},
              {"name": "amount_max_7d", "agg": "max", "column": "amount", "window": "7d"},
              {"name": "qty_stddev_1d", "agg": "stddev", "column": "qty", "window": "1d"},
              {"name": "merchant_last_7d", "agg": "last", "column": "merchant", "window": "7d"}
              {{(expression ? """, {"name": "plus_qty", "expr": "cnt_1h + qty"}""" : "")}}]}
            """, DefinitionFormat.Json);
        var source = new ByDay([
            InMemoryEventSource.FromBatches([events.ToBatch(0, 1_900)]),
            InMemoryEventSource.FromBatches([events.ToBatch(1_900, 2_300)]),
            InMemoryEventSource.FromBatches([events.ToBatch(4_200)])]);

        var inParts = Compute(definition, source, parallelism, 500);
        var whole = Compute(definition, source, parallelism, int.MaxValue);

        Assert.That(inParts.Batches, Is.GreaterThan(3 * Days), "days in parts: several batches a day");
        Assert.That(inParts.Rows, Has.Count.EqualTo(events.Length));
        Assert.That(inParts.Rows, Is.EqualTo(whole.Rows), "same rows in the same order");
    }

    private static (List<string> Rows, int Batches) Compute(FeatureGroupDefinition definition, IEventSource source, int parallelism, int dayPartRows)
    {
        var rows = new CountingSink();
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        using var adapter = new BatchSinkAdapter(rows);
        BatchComputation.Run(definition, source, from, from.AddDays(4), adapter, parallelism, default, 500, dayPartRows);
        adapter.Complete();
        return (rows.Rows, rows.Batches);
    }

    // The rows as text, in the order written, and how many batches brought them.
    private sealed class CountingSink : IFeatureBatchSink
    {
        public List<string> Rows { get; } = [];

        public int Batches { get; private set; }

        public bool KeepsBatches => false;

        public void WriteDay(DateOnly day, RecordBatch rows)
        {
            Batches++;
            RowText.AppendRows(rows, Rows);
        }
    }

    // Read a day at a time, as a day-partitioned table is, each day as one batch of each inner source (a file's row groups).
    private sealed class ByDay(IEventSource[] inners) : IEventSource
    {
        public Schema Schema => inners[0].Schema;

        public bool PrunesByTime(string timestampColumn) => true;

        public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
        {
            foreach (var inner in inners)
            {
                foreach (var batch in inner.Read(timestampColumn, from, to)) { yield return batch; }
            }
        }
    }
}
