using Apache.Arrow;
using Floe.Features.Definitions;
using Floe.Features.Tests.Support;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Engine;

public sealed class FeatureGroupTests
{
    private static object? SourceValue(TestEvents ev, string column, int row) => column switch
    {
        "amount" => ev.Amount[row],
        "qty" => ev.Qty[row],
        "merchant" => ev.Merchant[row],
        "flag" => ev.Flag[row],
        _ => throw new ArgumentException(column),
    };

    /// <summary>
    /// Per feature, its source column's cells boxed once (null for a feature without a column): the reference reads
    /// every event of a row's window for each (row, window, column), and boxing each read was most of its garbage.
    /// </summary>
    private static object?[]?[] BoxedSources(TestEvents ev, FeatureGroupDefinition def)
    {
        var columns = new Dictionary<string, object?[]>();
        var sources = new object?[]?[def.Features.Count];
        for (int fi = 0; fi < sources.Length; fi++)
        {
            if (def.Features[fi].Column is not { } column) { continue; }
            if (!columns.TryGetValue(column, out var boxed))
            {
                boxed = new object?[ev.Length];
                for (int j = 0; j < ev.Length; j++) { boxed[j] = SourceValue(ev, column, j); }
                columns[column] = boxed;
            }
            sources[fi] = boxed;
        }
        return sources;
    }

    private static void CheckAgainstReference(TestEvents ev, FeatureGroupDefinition def, Func<int, bool> filter, int parallelism) =>
        CheckAgainstReference(ev, ev, def, filter, parallelism);

    /// <param name="ev">The events the engine computes over.</param>
    /// <param name="keyed">The same events with <see cref="TestEvents.Entity"/> set to the definition's entity key (the reference groups by it).</param>
    private static RecordBatch CheckAgainstReference(TestEvents ev, TestEvents keyed, FeatureGroupDefinition def, Func<int, bool> filter, int parallelism)
    {
        var group = FeatureGroup.Compile(def, TestEvents.Schema);
        var result = group.Compute(ev.ToBatch(), parallelism);
        int firstFeature = def.Entity.Count + 1;
        var kept = Enumerable.Range(0, ev.Length).Select(filter).ToArray();
        var rows = Enumerable.Range(0, ev.Length).Where(i => kept[i]).ToArray();
        Assert.That(result.Length, Is.EqualTo(rows.Length));
        int failures = 0;
        var messages = new List<string>();
        var windows = new NaiveReference.WindowLists(keyed, kept);
        var sources = BoxedSources(ev, def);
        // Row by row, every feature of a row before the next: the reference keeps only the latest row's windows.
        for (int r = 0; r < rows.Length; r++)
        {
            int row = rows[r];
            for (int fi = 0; fi < def.Features.Count; fi++)
            {
                var f = def.Features[fi];
                if (!f.IsAggregation) { continue; }
                var source = sources[fi];
                var expected = NaiveReference.Compute(f, keyed, row, j => source?[j], kept, windows);
                var actual = ResultComparer.Cell(result.Column(firstFeature + fi), r);
                if (!ResultComparer.Same(expected, actual, f.Aggregation))
                {
                    if (++failures <= 10)
                    {
                        messages.Add($"{f.Name} row {row} (entity {ev.Entity[row]}, t {ev.Time[row]}): expected {ResultComparer.Show(expected)}, got {ResultComparer.Show(actual)}");
                    }
                }
            }
        }
        Assert.That(failures, Is.Zero, string.Join("\n", messages));
        // Time echoes the (filtered) input rows in input order; so does a single int64 key.
        var times = (TimestampArray)result.Column(def.Entity.Count);
        for (int r = 0; r < rows.Length; r++)
        {
            Assert.That(times.GetValue(r), Is.EqualTo(ev.Time[rows[r]]));
            if (def.Entity is ["entity_id"]) { Assert.That(((Int64Array)result.Column(0)).GetValue(r), Is.EqualTo(ev.Entity[rows[r]])); }
        }
        return result;
    }

    /// <summary>
    /// A composite key of a string and a boolean column: rows with a null key part are dropped, the reference groups
    /// by the pair, and the output's key columns give back each row's own key values.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    public void Compute_CompositeStringAndBoolKey_MatchesReferenceAndEchoesKeys(int parallelism)
    {
        var ev = TestEvents.Random(12, 700, 1, 6L * 86_400_000_000L);
        var ids = new Dictionary<(string, bool), long>();
        var keyed = new TestEvents
        {
            Entity = Enumerable.Range(0, ev.Length)
                .Select(i => ev.Merchant[i] is { } m && ev.Flag[i] is { } f ? ids.TryGetValue((m, f), out var id) ? id : ids[(m, f)] = ids.Count : -1L)
                .ToArray(),
            Time = ev.Time,
            Amount = ev.Amount,
            Qty = ev.Qty,
            Merchant = ev.Merchant,
            Flag = ev.Flag,
        };
        var def = TestDefinitions.AllAggregations(entity: """["merchant", "flag"]""");

        var result = CheckAgainstReference(ev, keyed, def, i => keyed.Entity[i] >= 0, parallelism);

        var merchants = (StringArray)result.Column(0);
        var flags = (BooleanArray)result.Column(1);
        var rows = Enumerable.Range(0, ev.Length).Where(i => keyed.Entity[i] >= 0).ToArray();
        Assert.That(ids.Count, Is.GreaterThan(4));
        for (int r = 0; r < rows.Length; r++)
        {
            Assert.That(merchants.GetString(r), Is.EqualTo(ev.Merchant[rows[r]]));
            Assert.That(flags.GetValue(r), Is.EqualTo(ev.Flag[rows[r]]));
        }
    }

    [TestCase(1, 300, 20, 1)]
    [TestCase(2, 500, 5, 2)]
    [TestCase(3, 400, 200, 4)]
    [TestCase(4, 600, 1, 3)]
    public void Compute_RandomEvents_MatchesNaiveReference(int seed, int rows, int entities, int parallelism)
    {
        var ev = TestEvents.Random(seed, rows, entities, 10L * 86_400_000_000L);
        CheckAgainstReference(ev, TestDefinitions.AllAggregations(), _ => true, parallelism);
    }

    /// <summary>Window groups (count/sum/mean/min/max only, several windows per slot) against the naive reference.</summary>
    [TestCase(21, 400, 6, 1)]
    [TestCase(22, 700, 30, 2)]
    [TestCase(23, 300, 1, 3)]
    public void Compute_FastAggregations_MatchesNaiveReference(int seed, int rows, int entities, int parallelism)
    {
        var ev = TestEvents.Random(seed, rows, entities, 10L * 86_400_000_000L);
        CheckAgainstReference(ev, TestDefinitions.FastAggregations(), _ => true, parallelism);
    }

    /// <summary>
    /// Window groups over present, ordinary amounts (the kernel's fast path for float groups), on minute or hour
    /// grids (ties, events exactly at t − w), optionally with one entity whose nulls, NaN, infinities and wide values
    /// send it down the general path: every value must equal the naive reference's.
    /// </summary>
    [TestCase(31, 500, 6, 1, false)]
    [TestCase(32, 700, 30, 2, true)]
    [TestCase(33, 400, 1, 3, false)]
    [TestCase(34, 600, 3, 2, true)]
    public void Compute_FastAggregationsCleanValues_MatchesNaiveReference(int seed, int rows, int entities, int parallelism, bool dirty)
    {
        var ev = TestEvents.Clean(seed, rows, entities, 10L * 86_400_000_000L, dirty);
        CheckAgainstReference(ev, TestDefinitions.FastAggregations(), _ => true, parallelism);
    }

    /// <summary>
    /// Window groups over amounts that leave the fixed-point sum (2^32 and above, bits below 2^-64, subnormals) mixed
    /// with ordinary ones, NaN and infinities, on random data: every value must equal the naive reference's.
    /// </summary>
    /// <remarks>FsCheck draws the seeds: 10 in the fast pass, 25 in the deep pass.</remarks>
    [Test]
    [Category(TestTier.Sweep)]
    public void Compute_FastAggregationsWideValues_MatchesNaiveReference() =>
        FsCheck.Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(TestTier.Size(10, 25)), FsCheck.Fluent.Prop.ForAll<int>(seed =>
        {
            var rnd = new Random(seed);
            var ev = TestEvents.RandomWide(seed, rnd.Next(0, 300), rnd.Next(1, 12), rnd.Next(1, 4) * 86_400_000_000L);
            CheckAgainstReference(ev, TestDefinitions.FastAggregations(), _ => true, rnd.Next(1, 4));
            return true;
        }));

    /// <summary>
    /// The float fast path's one min/max deque for all windows: a main entity whose amounts rise and fall in long runs
    /// (a new value pops elements behind the shorter windows' heads, which then restart at it), two or three events
    /// per timestamp (runs whose last event's window holds them all), ±0 and repeated values (equal values: the newest
    /// is kept), beside a few small entities: every value must equal the naive reference's.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [Category(TestTier.Sweep)]
    public void Compute_FastAggregationsMonotonicRunsAndTies_MatchesNaiveReference(int parallelism)
    {
        var rnd = new Random(5);
        // Runs of 30 main-entity events: the fast pass has a rise, a fall and a rise again, the deep pass seven runs and more.
        int rows = TestTier.Size(300, 900);
        var ev = TestEvents.Clean(5, rows, 4, 86_400_000_000L, dirty: false);
        long t = TestEvents.Epoch;
        for (int i = 0; i < rows; i++)
        {
            if (rnd.Next(3) == 0) { t += rnd.Next(1, 40) * TestEvents.Minute; }
            ev.Time[i] = t;
            if (i % 4 != 0) { continue; }
            ev.Entity[i] = 0;
            int phase = i / 120;
            ev.Amount[i] = rnd.Next(12) switch
            {
                0 => 0.0,
                1 => -0.0,
                2 => 7.25,
                _ => phase % 2 == 0 ? i * 0.5 : 1000 - (i * 0.5),
            };
        }
        CheckAgainstReference(ev, TestDefinitions.FastAggregations(), _ => true, parallelism);
    }

    [Test]
    public void Compute_WithFilter_MatchesNaiveReferenceOnKeptRows()
    {
        var ev = TestEvents.Random(7, 400, 10, 3L * 86_400_000_000L);
        CheckAgainstReference(ev, TestDefinitions.AllAggregations("amount > 0"), i => ev.Amount[i] is > 0, 2);
    }

    /// <summary>
    /// A batch run's chunk of several days (<c>ProcessByDay</c>: outputs in (day, entity, time) order, so the kernel
    /// writes through a row map rather than in sorted order) over clean amounts, the float groups' fast path: the value
    /// at each output row must be the naive reference's for the chunk row it stands for.
    /// </summary>
    [TestCase(41, 900, 8, 1)]
    [TestCase(42, 1500, 40, 2)]
    public void ProcessByDay_MultiDayChunk_FastAggregations_MatchesNaiveReference(int seed, int rows, int entities, int parallelism)
    {
        var ev = TestEvents.Clean(seed, rows, entities, 4L * 86_400_000_000L, false);
        var def = TestDefinitions.FastAggregations();
        var group = FeatureGroup.Compile(def, TestEvents.Schema);
        var engine = new Floe.Features.Engine.FeatureEngine(group.Plan, parallelism);
        var (columns, length) = FeatureGroup.Gather([ev.ToBatch()]);
        var chunk = engine.Encode(columns, length);
        Assert.That(chunk.Length, Is.EqualTo(ev.Length), "every event is kept");
        var features = engine.ProcessByDay(chunk, out var rowAt);
        var kept = Enumerable.Repeat(true, ev.Length).ToArray();
        var messages = new List<string>();
        int failures = 0;
        var windows = new NaiveReference.WindowLists(ev, kept);
        var sources = BoxedSources(ev, def);
        for (int r = 0; r < ev.Length; r++)
        {
            int row = rowAt[r];
            for (int fi = 0; fi < def.Features.Count; fi++)
            {
                var f = def.Features[fi];
                var c = features[fi];
                object? actual = !c.IsValid(r) ? null : c.Doubles is { } d ? (object)d[r] : (object)c.Longs![r];
                var source = sources[fi];
                var expected = NaiveReference.Compute(f, ev, row, j => source?[j], kept, windows);
                if (!ResultComparer.Same(expected, actual, f.Aggregation) && ++failures <= 10)
                {
                    messages.Add($"{f.Name} output row {r} (chunk row {row}): expected {ResultComparer.Show(expected)}, got {ResultComparer.Show(actual)}");
                }
            }
        }
        Assert.That(failures, Is.Zero, string.Join("\n", messages));
    }

    /// <summary>
    /// Two batch chunks of several days each over every aggregation (the general kernels, <c>last_n</c> lists, nulls,
    /// NaN and infinities): the kernels write sorted (entity, time) order and each chunk is permuted into (day, entity,
    /// time) order after, values, validity and list lengths alike. The second chunk also brings back some events of the
    /// first chunk's days: those at or before their entity's last time are late (every output null, no window holds
    /// them), the others count. Each output row must be the naive reference's for the chunk row it stands for.
    /// </summary>
    [TestCase(43, 1200, 12, 1)]
    [TestCase(44, 1600, 30, 2)]
    [Category(TestTier.Sweep)]
    public void ProcessByDay_MultiDayChunks_AllAggregationsAndLateEvents_MatchNaiveReference(int seed, int rows, int entities, int parallelism)
    {
        const long Day = 86_400_000_000L;
        var ev = TestEvents.Random(seed, TestTier.Size(rows / 3, rows), entities, 8 * Day);
        var rnd = new Random(seed + 1);
        var firstRows = new List<int>();
        var secondRows = new List<int>();
        for (int i = 0; i < ev.Length; i++)
        {
            bool early = ev.Time[i] < TestEvents.Epoch + (4 * Day);
            (early && rnd.Next(12) != 0 ? firstRows : secondRows).Add(i);
        }
        var lastTime = new Dictionary<long, long>();
        foreach (int i in firstRows) { lastTime[ev.Entity[i]] = Math.Max(lastTime.GetValueOrDefault(ev.Entity[i], long.MinValue), ev.Time[i]); }
        var kept = new bool[ev.Length];
        int late = 0;
        for (int i = 0; i < ev.Length; i++) { kept[i] = true; }
        foreach (int i in secondRows)
        {
            if (lastTime.TryGetValue(ev.Entity[i], out long last) && ev.Time[i] <= last) { kept[i] = false; late++; }
        }
        Assert.That(late, Is.GreaterThan(0), "the second chunk brings late events");

        var def = TestDefinitions.AllAggregations();
        var group = FeatureGroup.Compile(def, TestEvents.Schema);
        var engine = new Floe.Features.Engine.FeatureEngine(group.Plan, parallelism);
        var windows = new NaiveReference.WindowLists(ev, kept);
        var sources = BoxedSources(ev, def);
        var messages = new List<string>();
        int failures = 0;
        foreach (var chunkRows in new[] { firstRows.ToArray(), secondRows.ToArray() })
        {
            var (columns, length) = FeatureGroup.Gather([ev.ToBatch(chunkRows)]);
            var chunk = engine.Encode(columns, length);
            Assert.That(chunk.Length, Is.EqualTo(chunkRows.Length), "every event is kept");
            Assert.That(chunkRows.Select(i => (ev.Time[i] - TestEvents.Epoch) / Day).Distinct().Count(), Is.GreaterThan(1), "a chunk of several days");
            var features = engine.ProcessByDay(chunk, out var rowAt);
            var outputs = def.Features.Select((f, fi) => f.IsAggregation ? Floe.Features.Columns.ArrowColumns.ToArray(features[fi]) : null).ToArray();
            for (int r = 0; r < chunkRows.Length; r++)
            {
                int row = chunkRows[rowAt[r]];
                for (int fi = 0; fi < def.Features.Count; fi++)
                {
                    var f = def.Features[fi];
                    if (outputs[fi] is not { } column) { continue; }
                    var source = sources[fi];
                    var expected = kept[row] ? NaiveReference.Compute(f, ev, row, j => source?[j], kept, windows) : null;
                    var actual = ResultComparer.Cell(column, r);
                    if (!ResultComparer.Same(expected, actual, f.Aggregation) && ++failures <= 10)
                    {
                        messages.Add($"{f.Name} output row {r} (event {row}, late {!kept[row]}): expected {ResultComparer.Show(expected)}, got {ResultComparer.Show(actual)}");
                    }
                }
            }
        }
        Assert.That(failures, Is.Zero, string.Join("\n", messages));
    }

    [Test]
    public void Compute_ShortSpanManyTies_MatchesNaiveReference()
    {
        // 2 hours of data on a coarse grid: many events share timestamps, so ties decide most windows.
        var ev = TestEvents.Random(11, 500, 8, 2L * 3_600_000_000L);
        CheckAgainstReference(ev, TestDefinitions.AllAggregations(), _ => true, 2);
    }

    [Test]
    public void Compute_EmptyInput_ReturnsNoRows()
    {
        var ev = TestEvents.Random(5, 0, 1, 1000);
        var group = FeatureGroup.Compile(TestDefinitions.AllAggregations(), TestEvents.Schema);
        var result = group.Compute(ev.ToBatch());
        Assert.That(result.Length, Is.Zero);
        Assert.That(result.ColumnCount, Is.EqualTo(group.OutputSchema.FieldsList.Count));
    }
}
