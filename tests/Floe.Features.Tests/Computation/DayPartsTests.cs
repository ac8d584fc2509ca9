using Apache.Arrow;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A day of more events than <see cref="BatchComputation.DayPartRows"/> is computed and written in parts by entity
/// range (<see cref="EntityRanges"/>), so its memory is a part's, not the day's. The parts, one after the other, must
/// be the whole day's rows, row for row; the sink gets the day in several batches and then one
/// <see cref="IFeatureBatchSink.EndDay"/>. Checked at a small scale: chunks and parts of a few hundred events.
/// </summary>
public sealed class DayPartsTests
{
    private const int ChunkRows = 500;
    private const int PartRows = 500;

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    public void Compute_DaysInParts_SameRowsAsWholeDays(int seed, int parallelism)
    {
        // ~1,500 events a day over 4 days: every chunk is one day, cut into about three parts; events dirty
        // (nulls, NaN, late events), each kind of state (fast windows, deques, lists, distinct sets, strings,
        // unbounded) and an expression feature (source columns kept in the chunk).
        var events = TestEvents.Random(seed, 6_000, 150, 4 * 24 * 60 * TestEvents.Minute);
        var definition = FeatureGroupParser.Parse("""
            {"name": "parts", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [
              {"name": "cnt_1h", "agg": "count", "window": "1h"},
              {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"},
              {"name": "amount_max_7d", "agg": "max", "column": "amount", "window": "7d"},
              {"name": "qty_stddev_1d", "agg": "stddev", "column": "qty", "window": "1d"},
              {"name": "qty_sum_life", "agg": "sum", "column": "qty", "window": "unbounded"},
              {"name": "amount_last3_1d", "agg": "last_n", "n": 3, "column": "amount", "window": "1d"},
              {"name": "merchant_last_7d", "agg": "last", "column": "merchant", "window": "7d"},
              {"name": "merchant_distinct_1d", "agg": "count_distinct", "column": "merchant", "window": "1d"},
              {"name": "flag_sum_1h", "agg": "sum", "column": "flag", "window": "1h"},
              {"name": "mean_1d", "expr": "amount_sum_1d / cnt_1h + qty"}]}
            """, DefinitionFormat.Json);
        var whole = Compute(definition, events, parallelism, int.MaxValue);
        var parts = Compute(definition, events, parallelism, PartRows);

        Assert.That(whole.Calls.Count(c => c.StartsWith("write", StringComparison.Ordinal)), Is.EqualTo(whole.Days.Count), "whole days: one batch a day");
        Assert.That(parts.Calls.Count(c => c.StartsWith("write", StringComparison.Ordinal)), Is.GreaterThan(2 * parts.Days.Count), "days in parts: several batches a day");
        Assert.That(parts.Days, Is.EqualTo(whole.Days));
        Assert.That(parts.Result.Partitions, Is.EqualTo(whole.Days.Count));
        Assert.That(parts.Result.RowsWritten, Is.EqualTo(whole.Result.RowsWritten));
        AssertEachDayEndsOnceAfterItsRows(parts.Calls);
        AssertEachDayEndsOnceAfterItsRows(whole.Calls);
        Assert.That(parts.Rows, Has.Count.EqualTo(whole.Rows.Count));
        for (int r = 0; r < whole.Rows.Count; r++)
        {
            // NUnit only for a differing row: a constraint per row cost more than the runs.
            if (parts.Rows[r] != whole.Rows[r]) { Assert.Fail($"row {r}: in parts {parts.Rows[r]}, whole {whole.Rows[r]}"); }
        }
    }

    // A day of a million events or more is cut finer (its run's peak holds the arena and the filed days too); smaller
    // days, and runs that asked for parts smaller still, keep the part size asked for.
    [TestCase(BatchComputation.LargeDayRows - 1, BatchComputation.DayPartRows, BatchComputation.DayPartRows)]
    [TestCase(BatchComputation.LargeDayRows, BatchComputation.DayPartRows, BatchComputation.LargeDayPartRows)]
    [TestCase(3_000_000, BatchComputation.DayPartRows, BatchComputation.LargeDayPartRows)]
    [TestCase(3_000_000, 500, 500)]
    [TestCase(1_500, 500, 500)]
    public void PartRows_LargeDaysInSmallerParts(int events, int dayPartRows, int expected)
    {
        Assert.That(BatchComputation.PartRows(events, dayPartRows), Is.EqualTo(expected));
    }

    [Test]
    public void Plan_EntityRanges_InIdOrderWithEachEntityWhole()
    {
        // Entity 3 has more events than a part: it makes a part of its own, larger than the target.
        var entity = new List<int>();
        var rnd = new Random(5);
        for (int i = 0; i < 400; i++) { entity.Add(rnd.Next(10)); }
        for (int i = 0; i < 150; i++) { entity.Insert(rnd.Next(entity.Count), 3); }
        var chunk = ChunkOf([.. entity]);

        var plan = EntityRanges.Plan(chunk, 10, 100);

        Assert.That(plan, Is.Not.Null);
        // Parts taken into pooled arrays, each returned before the next is taken (as a batch run does), so a later
        // part may come in a longer array an earlier one used.
        var pool = new ChunkArrays();
        var seen = new List<(int Entity, long Time)>();
        int lastEntity = -1;
        for (int p = 0; p < plan!.Count; p++)
        {
            var part = plan.Take(p, pool, parallelism: 2);
            var ids = part.Entity.Take(part.Length).ToHashSet();
            Assert.That(ids.Min(), Is.GreaterThan(lastEntity), "parts are ranges of entity id, in order");
            lastEntity = ids.Max();
            Assert.That(part.Length <= 100 || ids.Count == 1, $"a part over the target holds one entity: {part.Length} events of {ids.Count}");
            for (int i = 0; i < part.Length; i++) { seen.Add((part.Entity[i], part.Time[i])); }
            part.Recycle(pool);
        }
        // Every event once, and each entity's events in their original order (times are the original row numbers).
        var expected = Enumerable.Range(0, chunk.Length).Select(i => (chunk.Entity[i], chunk.Time[i])).OrderBy(e => e.Item1).ThenBy(e => e.Item2).ToList();
        Assert.That(seen.OrderBy(e => e.Entity).ThenBy(e => e.Time), Is.EqualTo(expected));
        foreach (var events in seen.GroupBy(e => e.Entity))
        {
            Assert.That(events.Select(e => e.Time), Is.Ordered, $"entity {events.Key}'s events keep their order");
        }
        Assert.That(EntityRanges.Plan(chunk, 10, chunk.Length), Is.Null, "a chunk that fits is one part");
    }

    private static EventChunk ChunkOf(int[] entity)
    {
        var time = new long[entity.Length];
        var slot = new long[entity.Length];
        for (int i = 0; i < entity.Length; i++)
        {
            time[i] = i;
            slot[i] = i * 7L;
        }
        return new EventChunk(entity.Length, new Dictionary<string, Floe.Core.Expressions.Evaluation.ValueVector>(), entity, time, [slot], [null]);
    }

    private static void AssertEachDayEndsOnceAfterItsRows(List<string> calls)
    {
        string? open = null;
        var ended = new HashSet<string>();
        foreach (var call in calls)
        {
            var (kind, day) = (call[..call.IndexOf(' ', StringComparison.Ordinal)], call[(call.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            if (kind == "write")
            {
                Assert.That(open is null || open == day, $"rows of {day} before the end of {open}");
                Assert.That(ended, Does.Not.Contain(day), $"rows of {day} after its end");
                open = day;
            }
            else
            {
                Assert.That(open, Is.EqualTo(day), $"end of {day} without its rows open");
                Assert.That(ended.Add(day), Is.True, $"{day} ended twice");
                open = null;
            }
        }
        Assert.That(open, Is.Null, "the last day ended");
    }

    private static Outcome Compute(FeatureGroupDefinition definition, TestEvents events, int parallelism, int partRows)
    {
        var source = InMemoryEventSource.FromBatches([events.ToBatch()]);
        var sink = new RecordingSink();
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        using var adapter = new BatchSinkAdapter(sink);
        var result = BatchComputation.Run(definition, source, from, from.AddDays(4), adapter, parallelism, default, ChunkRows, partRows);
        adapter.Complete();
        return new Outcome(result, sink.Calls, sink.Days, sink.Rows);
    }

    private sealed record Outcome(ComputeResult Result, List<string> Calls, List<DateOnly> Days, List<string> Rows);

    // Records the calls in order and every row as text (each column's value or null), so two runs compare row by row.
    private sealed class RecordingSink : IFeatureBatchSink
    {
        public List<string> Calls { get; } = [];

        public List<DateOnly> Days { get; } = [];

        public List<string> Rows { get; } = [];

        public bool KeepsBatches => false;

        public void WriteDay(DateOnly day, RecordBatch rows)
        {
            Calls.Add($"write {day:yyyy-MM-dd}");
            if (Days.Count == 0 || Days[^1] != day) { Days.Add(day); }
            RowText.AppendRows(rows, Rows);
        }

        public void EndDay(DateOnly day) => Calls.Add($"end {day:yyyy-MM-dd}");
    }
}
