using Apache.Arrow;
using FsCheck;
using FsCheck.Fluent;
using Floe.Features.Tests.Support;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Engine;

public sealed class FeatureStreamTests
{
    /// <summary>
    /// Feeds events in a shuffled-but-bounded arrival order, in random push sizes, emitting at watermarks that never
    /// pass an event not yet pushed; the concatenated emits, re-ordered to input order, must equal the batch result
    /// bit for bit.
    /// </summary>
    private static bool StreamEqualsBatch(int seed, bool fast = false, bool clean = false)
    {
        var rnd = new Random(seed);
        var ev = clean
            ? TestEvents.Clean(seed, rnd.Next(0, 250), rnd.Next(1, 30), 5L * 86_400_000_000L, dirty: seed % 2 == 0)
            : fast
            ? TestEvents.RandomWide(seed, rnd.Next(0, 250), rnd.Next(1, 30), 5L * 86_400_000_000L)
            : TestEvents.Random(seed, rnd.Next(0, 250), rnd.Next(1, 30), 5L * 86_400_000_000L);
        // Arrival order: sort by time, then shuffle within small blocks (bounded disorder).
        var arrival = Enumerable.Range(0, ev.Length).OrderBy(i => ev.Time[i]).ThenBy(i => i).ToArray();
        for (int i = 0; i + 1 < arrival.Length; i++)
        {
            if (rnd.Next(3) == 0) { (arrival[i], arrival[i + 1]) = (arrival[i + 1], arrival[i]); }
        }
        var def = fast ? TestDefinitions.FastAggregations() : TestDefinitions.AllAggregations();
        var group = FeatureGroup.Compile(def, TestEvents.Schema);
        // The batch reference sees the same events in the same arrival order (ties break by arrival).
        var batch = group.Compute(ev.ToBatch(arrival), rnd.Next(1, 4));

        var stream = group.OpenStream(rnd.Next(1, 4));
        var emitted = new List<RecordBatch>();
        int pos = 0;
        while (pos < arrival.Length)
        {
            int take = Math.Min(arrival.Length - pos, rnd.Next(1, 40));
            stream.Push(ev.ToBatch(arrival[pos..(pos + take)]));
            pos += take;
            long watermark = long.MaxValue;
            for (int i = pos; i < arrival.Length; i++) { watermark = Math.Min(watermark, ev.Time[arrival[i]]); }
            if (watermark != long.MaxValue && rnd.Next(2) == 0)
            {
                emitted.Add(stream.Emit(DateTimeOffset.UnixEpoch.AddTicks(watermark * 10)));
            }
        }
        emitted.Add(stream.Flush());
        Assert.That(stream.LateEvents, Is.Zero);

        // Match stream rows to batch rows by arrival position: emits keep arrival order among the rows they hold,
        // and each (entity, time) group's rows stay together, so order by (time, arrival) on both sides.
        var streamRows = Flatten(emitted);
        var batchRows = Flatten([batch]);
        Assert.That(streamRows.Count, Is.EqualTo(batchRows.Count));
        var key = (List<object?[]> rows) => rows
            .Select((r, i) => (r, i))
            .OrderBy(x => (long)x.r[1]!)
            .ThenBy(x => (long)x.r[0]!)
            .Select(x => x.r)
            .ToList();
        var s = key(streamRows);
        var b = key(batchRows);
        for (int i = 0; i < s.Count; i++)
        {
            for (int c = 0; c < s[i].Length; c++)
            {
                var x = b[i][c];
                var y = s[i][c];
                bool same = x is double dx && y is double dy
                    ? BitConverter.DoubleToInt64Bits(dx) == BitConverter.DoubleToInt64Bits(dy) || (double.IsNaN(dx) && double.IsNaN(dy))
                    : ResultComparer.Same(x, y, null);
                if (!same)
                {
                    Assert.Fail($"seed {seed}: row {i} column {batch.Schema.GetFieldByIndex(c).Name}: batch {ResultComparer.Show(x)}, stream {ResultComparer.Show(y)}");
                }
            }
        }
        return true;
    }

    private static List<object?[]> Flatten(List<RecordBatch> batches)
    {
        var rows = new List<object?[]>();
        foreach (var b in batches)
        {
            for (int r = 0; r < b.Length; r++)
            {
                var row = new object?[b.ColumnCount];
                for (int c = 0; c < b.ColumnCount; c++) { row[c] = ResultComparer.Cell(b.Column(c), r); }
                rows.Add(row);
            }
        }
        return rows;
    }

    // FsCheck draws the seeds of these three: 15 in the fast pass, 40 in the deep pass.
    private static void ForAnySeed(Func<int, bool> property) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(TestTier.Size(15, 40)), Prop.ForAll(property));

    [Test]
    [Category(TestTier.Sweep)]
    public void Emit_AnyPushAndWatermarkSchedule_EqualsBatchBitForBit() =>
        ForAnySeed(seed => StreamEqualsBatch(seed));

    /// <summary>The same for window groups (fast aggregations only), over amounts in and out of the fixed-point range.</summary>
    [Test]
    [Category(TestTier.Sweep)]
    public void Emit_FastAggregations_AnySchedule_EqualsBatchBitForBit() =>
        ForAnySeed(seed => StreamEqualsBatch(seed, fast: true));

    /// <summary>
    /// The same over present, ordinary amounts, where float window groups take the kernel's fast path and carry
    /// their windows across emits (evicting retained events), some seeds with one entity that leaves and re-enters it.
    /// </summary>
    [Test]
    [Category(TestTier.Sweep)]
    public void Emit_FastAggregationsCleanValues_AnySchedule_EqualsBatchBitForBit() =>
        ForAnySeed(seed => StreamEqualsBatch(seed, fast: true, clean: true));

    /// <summary>
    /// Emits after every timestamp, so each entity's windows are carried across hundreds of chunks: one entity has
    /// long monotonic runs (its min/max deques outgrow the short saved copies and go to the long store), and
    /// hundreds of small entities make the event arena move and rebuild regions. Must equal the batch bit for bit.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    [Category(TestTier.Sweep)]
    public void Emit_AfterEveryTimestamp_LongDequesAndManyEntities_EqualsBatch(bool fast)
    {
        var rnd = new Random(11);
        int rows = TestTier.Size(1200, 3000);
        var entity = new long[rows];
        var time = new long[rows];
        var amount = new double?[rows];
        var qty = new long?[rows];
        var merchant = new string?[rows];
        var flag = new bool?[rows];
        for (int i = 0; i < rows; i++)
        {
            bool big = i % 3 == 0;
            entity[i] = big ? 0 : 1 + rnd.Next(400);
            time[i] = TestEvents.Epoch + (i / 2) * 7 * TestEvents.Minute;
            // The big entity falls then rises in long runs; the others are random.
            amount[i] = big ? ((i / 300) % 2 == 0 ? 10_000 - i : i) : Math.Round(rnd.NextDouble() * 100, 2);
            qty[i] = big ? ((i / 250) % 2 == 0 ? i : -i) : rnd.Next(100);
            merchant[i] = "m" + rnd.Next(50);
            flag[i] = rnd.Next(2) == 0;
        }
        var ev = new TestEvents { Entity = entity, Time = time, Amount = amount, Qty = qty, Merchant = merchant, Flag = flag };
        var group = FeatureGroup.Compile(fast ? TestDefinitions.FastAggregations() : TestDefinitions.AllAggregations(), TestEvents.Schema);
        var batch = group.Compute(ev.ToBatch(), 2);

        var stream = group.OpenStream(2);
        var emitted = new List<RecordBatch>();
        for (int i = 0; i < rows; i += 2)
        {
            stream.Push(ev.ToBatch(i, 2));
            emitted.Add(stream.Emit(DateTimeOffset.UnixEpoch.AddTicks((time[i] + 1) * 10)));
        }
        var streamed = Concat(emitted);
        ResultComparer.AssertIdentical(batch, streamed, "stream after every timestamp");
        // The premises, at either size: the big entity rises and falls for longer than a saved deque holds, and the
        // small ones make the arena grow into fresh arrays and rebuild in place.
        var bigAmounts = Enumerable.Range(0, rows).Where(i => entity[i] == 0).Select(i => amount[i]!.Value).ToArray();
        Assert.That(LongestRun(bigAmounts, rising: true), Is.GreaterThan(Floe.Features.Engine.EntityStates.SavedDequeLength), "a rising run longer than a saved deque");
        Assert.That(LongestRun(bigAmounts, rising: false), Is.GreaterThan(Floe.Features.Engine.EntityStates.SavedDequeLength), "a falling run longer than a saved deque");
        Assert.That(stream.Engine.Arena.Reallocations, Is.GreaterThan(1), "the event arena never grew into fresh arrays");
        Assert.That(stream.Engine.Arena.Compactions, Is.GreaterThan(0), "the event arena never rebuilt in place");
    }

    private static int LongestRun(double[] values, bool rising)
    {
        int longest = values.Length > 0 ? 1 : 0, run = 1;
        for (int i = 1; i < values.Length; i++)
        {
            run = (rising ? values[i] > values[i - 1] : values[i] < values[i - 1]) ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    /// <summary>
    /// Entities in waves over three weeks, emitted hour by hour: two busy days fill the event arena (it grows into
    /// fresh arrays), then on quieter days the waves (each back every fourth day) move their regions after the busy
    /// days have left the 7-day windows, so the arena rebuilds in place (its live events slide down and out to new regions);
    /// a few entities stay busy throughout and some hours burst. Must equal the batch (one chunk) bit for bit.
    /// </summary>
    [TestCase(false, 1)]
    [TestCase(true, 1)]
    [TestCase(true, 2)]
    public void Emit_HourlyWavesOfEntities_ArenaRebuildsInPlace_EqualsBatch(bool fast, int parallelism)
    {
        var rnd = new Random(23);
        const long hour = 60 * TestEvents.Minute;
        const int hours = 21 * 24;
        var entity = new List<long>();
        var time = new List<long>();
        for (int h = 0; h < hours; h++)
        {
            // The wave of the day: 150 ids, back every fourth day (an entity's events leave the arena only when it has new ones).
            int wave = h / 24 % 4 * 150;
            int events = h < 48 ? 40 : rnd.Next(20) == 0 ? 30 : 12;
            for (int i = 0; i < events; i++)
            {
                entity.Add(i % 4 == 0 ? rnd.Next(5) : 5 + wave + rnd.Next(150));
                time.Add(TestEvents.Epoch + (h * hour) + (rnd.Next(60) * TestEvents.Minute));
            }
        }
        int rows = entity.Count;
        var order = Enumerable.Range(0, rows).OrderBy(i => time[i]).ThenBy(i => i).ToArray();
        var ev = new TestEvents
        {
            Entity = [.. order.Select(i => entity[i])],
            Time = [.. order.Select(i => time[i])],
            Amount = [.. order.Select(_ => (double?)Math.Round(rnd.NextDouble() * 500, 2))],
            Qty = [.. order.Select(_ => (long?)rnd.Next(-50, 100))],
            Merchant = [.. order.Select(_ => (string?)("m" + rnd.Next(20)))],
            Flag = [.. order.Select(_ => (bool?)(rnd.Next(2) == 0))],
        };
        var group = FeatureGroup.Compile(fast ? TestDefinitions.FastAggregations() : TestDefinitions.AllAggregations(), TestEvents.Schema);
        var batch = group.Compute(ev.ToBatch(), parallelism);

        var stream = group.OpenStream(parallelism);
        var emitted = new List<RecordBatch>();
        for (int i = 0; i < rows;)
        {
            int j = i;
            long end = ((ev.Time[i] - TestEvents.Epoch) / hour + 1) * hour + TestEvents.Epoch;
            while (j < rows && ev.Time[j] < end) { j++; }
            stream.Push(ev.ToBatch(i, j - i));
            emitted.Add(stream.Emit(DateTimeOffset.UnixEpoch.AddTicks(end * 10)));
            i = j;
        }
        var streamed = Concat(emitted);
        ResultComparer.AssertIdentical(batch, streamed, "stream of hourly waves");
        Assert.That(stream.Engine.Arena.Compactions, Is.GreaterThan(0), $"the event arena never rebuilt in place ({stream.Engine.Arena.Reallocations} reallocations, {stream.Engine.Arena.Time.Length} events)");
    }

    /// <summary>
    /// Late means at or before the entity's last processed time: an event tied with that time is late (counted, its
    /// features null), one a microsecond after it is not, and another entity's event at that same time is not either.
    /// </summary>
    [Test]
    public void Flush_EventTiedWithItsEntitysLastTime_IsLate_OneMicrosecondAfterIsNot()
    {
        var ev = TestEvents.Random(5, 40, 1, 86_400_000_000L, specials: false);
        var group = FeatureGroup.Compile(TestDefinitions.AllAggregations(), TestEvents.Schema);
        var stream = group.OpenStream();
        stream.Push(ev.ToBatch());
        stream.Flush();
        Assert.That(stream.LateEvents, Is.Zero);
        long entity = ev.Entity[0], last = ev.Time.Max();
        var tail = new TestEvents
        {
            Entity = [entity, entity, entity + 1],
            Time = [last, last + 1, last],
            Amount = [1.0, 2.0, 3.0],
            Qty = [1, 2, 3],
            Merchant = ["a", "b", "c"],
            Flag = [true, false, true],
        };
        stream.Push(tail.ToBatch());
        var rows = Flatten([stream.Flush()]);

        Assert.That(stream.LateEvents, Is.EqualTo(1));
        Assert.That(rows, Has.Count.EqualTo(3));
        var count = group.OutputSchema.GetFieldIndex("cnt_1d");
        var byKey = rows.ToDictionary(r => ((long)r[0]!, (long)r[1]!), r => r[count]);
        Assert.That(byKey[(entity, last)], Is.Null, "the tied event is late: no features");
        Assert.That(byKey[(entity, last + 1)], Is.Not.Null, "a microsecond after the last time is on time");
        Assert.That(byKey[(entity + 1, last)], Is.EqualTo(1L), "another entity's first event at that time is on time");
    }

    private static RecordBatch Concat(List<RecordBatch> batches)
    {
        var arrays = new List<IArrowArray>();
        for (int c = 0; c < batches[0].ColumnCount; c++)
        {
            arrays.Add(ArrowArrayConcatenator.Concatenate(batches.Select(b => b.Column(c)).ToList()));
        }
        return new RecordBatch(batches[0].Schema, arrays, batches.Sum(b => b.Length));
    }

    [Test]
    public void Emit_EventBehindWatermark_IsCountedLate()
    {
        var ev = TestEvents.Random(3, 50, 1, 86_400_000_000L);
        var group = FeatureGroup.Compile(TestDefinitions.AllAggregations(), TestEvents.Schema);
        var stream = group.OpenStream();
        var order = Enumerable.Range(0, ev.Length).OrderBy(i => ev.Time[i]).ToArray();
        stream.Push(ev.ToBatch(order[1..]));
        stream.Flush();
        stream.Push(ev.ToBatch([order[0]]));
        var late = stream.Flush();
        Assert.That(late.Length, Is.EqualTo(1));
        Assert.That(stream.LateEvents, Is.EqualTo(ev.Time[order[0]] < ev.Time[order[^1]] ? 1 : 0));
    }
}
