using System.Globalization;
using Floe.Application.Streaming;
using Floe.Application.Tables;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using NUnit.Framework;
using StackExchange.Redis;

namespace Floe.Online.Tests;

[TestFixture]
public sealed class RedisStreamSourceTests
{
    private const string Definition = """
        {"name": "clicks", "version": 1, "entity": "user", "timestamp": "ts",
         "source": {"table": "raw.clicks"},
         "features": [{"name": "n_1h", "agg": "count", "window": "1h"}, {"name": "v_1h", "agg": "sum", "column": "value", "window": "1h"}]}
        """;

    private string _dir = null!;
    private Warehouse _warehouse = null!;
    private OnlineStore _store = null!;
    private FeatureGroupDefinition _def = null!;
    private string _stream = null!;

    [SetUp]
    public void SetUp()
    {
        var url = TestRedis.Url();
        _store = OnlineStore.Connect(new RedisSettings { Endpoint = url, Prefix = "t" + Guid.NewGuid().ToString("N")[..12] });
        _stream = "events-" + Guid.NewGuid().ToString("N");
        _dir = Path.Combine(Path.GetTempPath(), "floe-rstream-" + Guid.NewGuid().ToString("N"));
        _warehouse = new Warehouse(Path.Combine(_dir, "warehouse"));
        new TableService(_warehouse).Create("raw.clicks", "user:string not null,ts:timestamptz not null,value:long", "day(ts)");
        _def = FeatureGroupParser.Parse(Definition, DefinitionFormat.Json);
    }

    [TearDown]
    public void TearDown()
    {
        _store?.Database.KeyDelete(_stream);
        _store?.Dispose();
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private sealed class Dying(IStreamSource inner, int limit) : IStreamSource
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

    [Test]
    public void ConsumerGroup_KilledAndRestarted_StoresEveryEventOnce_AndAcknowledgesThem()
    {
        var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        const int count = 700;
        for (int i = 0; i < count; i++)
        {
            var json = $"{{\"user\": \"u{i % 13}\", \"ts\": \"{start.AddSeconds(i * 37):yyyy-MM-ddTHH:mm:ssZ}\", \"value\": {i}}}";
            _store.Database.StreamAdd(_stream, "event", json);
        }
        _store.Database.StreamAdd(_stream, "event", "{\"user\": 5}");
        var options = new StreamOptions { CommitEveryEvents = 100, MicroBatchEvents = 64, AllowedLateness = TimeSpan.FromMinutes(1) };
        var service = new StreamService(_warehouse);
        RedisStreamSource Source() => new(_store.Database, _stream, "g", "c1") { StopWhenEmpty = true };

        Assert.Throws<IOException>(() => service.Run(_def, new Dying(Source(), 333), options, new RedisOnlineWriter(_store)));
        var result = service.Run(_def, Source(), options, new RedisOnlineWriter(_store));

        var table = _warehouse.LoadTable(TableIdentifier.Parse("raw.clicks"));
        var scan = new Floe.Iceberg.Scan.TableScan(table);
        var values = scan.ReadBatches(scan.PlanFiles().Tasks)
            .SelectMany(b => Enumerable.Range(0, b.Length).Select(r => ((Apache.Arrow.Int64Array)b.Column(2)).GetValue(r)!.Value)).Order().ToList();
        Assert.That(values, Is.EqualTo(Enumerable.Range(0, count).Select(i => (long)i)), "every event exactly once");
        Assert.That(result.Rejected, Is.EqualTo(1));
        Assert.That(_store.Database.StreamPending(_stream, "g").PendingMessageCount, Is.Zero, "everything committed is acknowledged");
        var last = _store.GetMany(_def, [["u0"]])[0];
        // u0's newest event is the largest i < count with i % 13 == 0; within the hour before it there are
        // events i - 13k whose times lie within 3600 s.
        int newest = (count - 1) / 13 * 13;
        Assert.That(last.TimeMicros, Is.EqualTo(start.AddSeconds(newest * 37).ToUnixTimeMilliseconds() * 1000));
        int inWindow = Enumerable.Range(0, newest / 13 + 1).Count(k => (long)k * 13 * 37 < 3600);
        Assert.That(last.Values["n_1h"], Is.EqualTo(inWindow.ToString(CultureInfo.InvariantCulture)));
    }

    [Test]
    public void EntryIds_OrderByMillisecondsThenSequence()
    {
        Assert.That(RedisStreamSource.Compare("10-2", "9-30"), Is.Positive);
        Assert.That(RedisStreamSource.Compare("10-2", "10-10"), Is.Negative);
        Assert.That(RedisStreamSource.Compare("10-2", "10-2"), Is.Zero);
        Assert.That(RedisStreamSource.Compare(long.MaxValue.ToString(CultureInfo.InvariantCulture) + "-0", "1-1"), Is.Positive);
    }
}
