using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Application.Streaming;
using Floe.Core.Errors;
using Floe.Features;
using Floe.Features.Definitions;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Application.Tests.Streaming;

[TestFixture]
public sealed class StreamServiceTests
{
    private const string Definition = """
        {
          "name": "user_txn", "version": 1, "entity": "entity_id", "timestamp": "event_time",
          "source": {"table": "demo.events"},
          "features": [
            {"name": "n_1h", "agg": "count", "window": "1h"},
            {"name": "sum_1h", "agg": "sum", "column": "amount", "window": "1h"},
            {"name": "mean_1d", "agg": "mean", "column": "amount", "window": "1d"},
            {"name": "max_1d", "agg": "max", "column": "amount", "window": "1d"},
            {"name": "ratio", "expr": "sum_1h / n_1h"}
          ]
        }
        """;

    private TempWarehouse _w = null!;
    private FeatureGroupDefinition _def = null!;

    [SetUp]
    public void SetUp()
    {
        _w = new TempWarehouse();
        _w.Tables.Create("demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)");
        _def = FeatureGroupParser.Parse(Definition, DefinitionFormat.Json);
    }

    [TearDown]
    public void TearDown() => _w.Dispose();

    /// <summary>Random events: ties, nulls, and arrival out of order by up to <paramref name="disorderMinutes"/>.</summary>
    private static List<string> Events(int seed, int count, int entities, int disorderMinutes)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new List<(long Minute, string Line)>();
        for (int i = 0; i < count; i++)
        {
            long minute = i * 3L / 2 + random.Next(3);
            var time = start.AddMinutes(minute);
            string amount = random.Next(10) == 0 ? "null" : (random.Next(-500, 5000) / 4.0).ToString(CultureInfo.InvariantCulture);
            string ts = random.Next(2) == 0 ? $"\"{time:yyyy-MM-ddTHH:mm:ssZ}\"" : (time.ToUnixTimeMilliseconds() * 1000).ToString(CultureInfo.InvariantCulture);
            events.Add((minute + random.Next(disorderMinutes + 1), $"{{\"entity_id\": {random.Next(entities)}, \"event_time\": {ts}, \"amount\": {amount}}}"));
        }
        // Arrival order: by (minute + a random delay), so no event is later than the disorder allows.
        return events.OrderBy(e => e.Minute).Select(e => e.Line).ToList();
    }

    private static Stream Lines(IEnumerable<string> lines) => new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    private static StreamOptions Options(int commitEvery = 500) => new()
    {
        CommitEveryEvents = commitEvery,
        AllowedLateness = TimeSpan.FromMinutes(30),
        MicroBatchEvents = 97,
    };

    /// <summary>Every row of the batch engine over the raw table, as text, sorted.</summary>
    private List<string> BatchRows()
    {
        var table = _w.Warehouse.LoadTable(TableIdentifier.Parse("demo.events"));
        var schema = ArrowSchemas.ToArrow(table.Schema);
        var scan = new TableScan(table);
        var batches = scan.ReadBatches(scan.PlanFiles().Tasks).ToList();
        var computed = FeatureGroup.Compile(_def, schema).Compute(batches);
        return Rows(computed).Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> Rows(RecordBatch batch)
    {
        for (int r = 0; r < batch.Length; r++)
        {
            var cells = new string[batch.ColumnCount];
            for (int c = 0; c < batch.ColumnCount; c++) cells[c] = Cell(batch.Column(c), r);
            yield return string.Join("|", cells);
        }
    }

    private static string Cell(IArrowArray array, int row) => array.IsNull(row) ? "null" : array switch
    {
        Int64Array a => a.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture),
        DoubleArray a => a.GetValue(row)!.Value.ToString("R", CultureInfo.InvariantCulture),
        TimestampArray a => a.Values[row].ToString(CultureInfo.InvariantCulture),
        Int32Array a => a.GetValue(row)!.Value.ToString(CultureInfo.InvariantCulture),
        _ => throw new AssertionException($"unexpected column type {array.GetType().Name}"),
    };

    private sealed class CollectingWriter : IOnlineWriter
    {
        public List<string> Rows { get; } = new();

        public void Write(FeatureGroupDefinition definition, RecordBatch features, string source) => Rows.AddRange(StreamServiceTests.Rows(features));
    }

    [TestCase(1)]
    [TestCase(2)]
    // The same premise from other seeds: the deep pass.
    [TestCase(3, Category = TestTier.Deep)]
    [TestCase(4, Category = TestTier.Deep)]
    public void Stream_OfRandomEventsWithinLateness_EmitsExactlyTheBatchRows(int seed)
    {
        var events = Events(seed, 1500, 37, disorderMinutes: 20);
        var online = new CollectingWriter();

        var result = new StreamService(_w.Warehouse).Run(_def, new JsonLinesStreamSource(Lines(events), "test"), Options(), online);

        Assert.That(result.Events, Is.EqualTo(events.Count));
        Assert.That(result.Rejected, Is.Zero);
        Assert.That(result.LateEvents, Is.Zero);
        Assert.That(result.Commits, Is.EqualTo((events.Count + 499) / 500));
        Assert.That(online.Rows.Order(StringComparer.Ordinal), Is.EqualTo(BatchRows()));
    }

    /// <summary>A source that dies (as a killed process would) after handing out <c>limit</c> records.</summary>
    private sealed class DyingSource(IStreamSource inner, int limit) : IStreamSource
    {
        private int _served;

        public string Id => inner.Id;

        public bool TryRead(TimeSpan wait, CancellationToken cancellation, out StreamRecord record, out bool ended)
        {
            if (_served++ == limit) throw new IOException("killed");
            return inner.TryRead(wait, cancellation, out record, out ended);
        }

        public bool IsAfter(string position, string committed) => inner.IsAfter(position, committed);

        public void Acknowledge(string position) => inner.Acknowledge(position);

        public void Dispose() => inner.Dispose();
    }

    [TestCase(150)]
    [TestCase(777)]
    // Killed after several commits, as at 777, with other events: the deep pass.
    [TestCase(1234, Category = TestTier.Deep)]
    public void Stream_KilledAndRestarted_LosesNothingAndCountsNothingTwice(int killAt)
    {
        var events = Events(killAt, 1500, 23, disorderMinutes: 20);
        var online = new CollectingWriter();
        var service = new StreamService(_w.Warehouse);

        Assert.Throws<IOException>(() => service.Run(_def, new DyingSource(new JsonLinesStreamSource(Lines(events), "test"), killAt), Options(200), online));
        var (committed, _) = StreamService.LastCommit(_w.Warehouse.LoadTable(TableIdentifier.Parse("demo.events")), "test");
        var second = service.Run(_def, new JsonLinesStreamSource(Lines(events), "test"), Options(200), online);

        Assert.That(second.SkippedAsCommitted, Is.EqualTo(committed is null ? 0 : long.Parse(committed, CultureInfo.InvariantCulture)));
        Assert.That(second.LateEvents, Is.Zero);
        if (committed is not null) Assert.That(second.RebuiltFromEvents, Is.GreaterThan(0));
        Assert.That(_w.ScanLines("demo.events"), Has.Count.EqualTo(events.Count + 1), "every event stored exactly once");
        // Rows emitted before the kill may be emitted again after it (the online store's writes are idempotent);
        // the distinct rows are exactly the batch's.
        var batch = BatchRows();
        Assert.That(online.Rows.Distinct().Order(StringComparer.Ordinal), Is.EqualTo(batch.Distinct()));
        Assert.That(online.Rows.Count, Is.GreaterThanOrEqualTo(batch.Count));
    }

    [Test]
    public void NewStream_OverATableWithHistory_ComputesWithThatHistory()
    {
        // Events already in the table (written by another stream id, as a batch ingest would) are in the windows of
        // a stream that starts now: its rows equal the batch engine's over all events.
        var events = Events(8, 1500, 17, disorderMinutes: 20);
        var service = new StreamService(_w.Warehouse);
        service.Run(_def, new JsonLinesStreamSource(Lines(events.Take(900)), "history"), Options(), null);
        var online = new CollectingWriter();

        var result = service.Run(_def, new JsonLinesStreamSource(Lines(events.Skip(900)), "live"), Options(), online);

        Assert.That(result.RebuiltFromEvents, Is.GreaterThan(0));
        Assert.That(result.LateEvents, Is.Zero);
        var batch = BatchRows();
        Assert.That(online.Rows.Except(batch), Is.Empty, "every streamed row is the batch engine's row");
        Assert.That(online.Rows.Count, Is.GreaterThanOrEqualTo(600), "and the new events all got theirs");
    }

    [Test]
    public void Stream_BadEvents_AreDeadLetteredAndTheStreamGoesOn()
    {
        var deadLetter = Path.Combine(_w.Directory, "dead.jsonl");
        var lines = new[]
        {
            """{"entity_id": 1, "event_time": "2024-03-01T00:00:00Z", "amount": 5}""",
            """{"entity_id": "x", "event_time": "2024-03-01T00:01:00Z", "amount": 5}""",
            """{"entity_id": 1, "event_time": "not a time", "amount": 5}""",
            """{"entity_id": 1, "amount": 5}""",
            """{"entity_id": 1, "event_time": "2024-03-01T00:02:00Z", "amount": 5, "extra": 1}""",
            """{"entity_id": 1, "event_time": "2024-03-01T00:03:00Z", "amount": 5""",
            "[1, 2]",
            """{"entity_id": 2, "event_time": 1709251380000000, "amount": 7.5}""",
        };

        var result = new StreamService(_w.Warehouse).Run(_def, new JsonLinesStreamSource(Lines(lines), "test"), Options() with { DeadLetterPath = deadLetter }, null);

        Assert.That(result.Events, Is.EqualTo(2));
        Assert.That(result.Rejected, Is.EqualTo(6));
        var dead = File.ReadAllLines(deadLetter);
        Assert.That(dead, Has.Length.EqualTo(6));
        Assert.That(dead[0], Does.Contain("\"position\":\"2\"").And.Contain("entity_id").And.Contain("expected a long"));
        Assert.That(dead[2], Does.Contain("required field 'event_time'"));
        Assert.That(dead[3], Does.Contain("unknown field 'extra'"));
        Assert.That(dead[4], Does.Contain("invalid JSON"));
        Assert.That(_w.ScanLines("demo.events"), Has.Count.EqualTo(3));
    }

    [Test]
    public void Stream_DefinitionWithoutATableSource_IsRefused()
    {
        var def = FeatureGroupParser.Parse(Definition.Replace("\"source\": {\"table\": \"demo.events\"},", "", StringComparison.Ordinal), DefinitionFormat.Json);
        var e = Assert.Throws<FloeException>(() => new StreamService(_w.Warehouse).Run(def, new JsonLinesStreamSource(Lines(["{}"]), "test"), Options(), null));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }
}
