using Floe.Application.Features;
using System.Globalization;
using System.Text;
using Floe.Application.Backfill;
using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Streaming;
using Floe.Application.Tables;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using NUnit.Framework;
using StackExchange.Redis;

namespace Floe.Online.Tests;

/// <summary>
/// The online store against a real redis-server: <c>FLOE_REDIS_URL</c>, which <c>.ci/run</c> starts on a free port.
/// Each test writes under a prefix of its own.
/// </summary>
[TestFixture]
public sealed class OnlineStoreTests
{
    private const string Definition = """
        {"name": "user_txn", "version": 1, "entity": "entity_id", "timestamp": "event_time",
         "source": {"table": "demo.events"},
         "features": [
           {"name": "n_1h", "agg": "count", "window": "1h"},
           {"name": "sum_1d", "agg": "sum", "column": "amount", "window": "1d"},
           {"name": "max_1d", "agg": "max", "column": "amount", "window": "1d"},
           {"name": "ratio", "expr": "sum_1d / n_1h"}
         ]}
        """;

    private string _dir = null!;
    private Warehouse _warehouse = null!;
    private OnlineStore _store = null!;
    private FeatureGroupDefinition _def = null!;
    private string _defPath = null!;
    private string _prefix = null!;

    [SetUp]
    public void SetUp()
    {
        var url = TestRedis.Url();
        _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        _store = OnlineStore.Connect(new RedisSettings { Endpoint = url, Prefix = _prefix });
        _dir = Path.Combine(Path.GetTempPath(), "floe-online-" + Guid.NewGuid().ToString("N"));
        _warehouse = new Warehouse(Path.Combine(_dir, "warehouse"));
        new TableService(_warehouse).Create("demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)");
        _defPath = Path.Combine(_dir, "def.json");
        File.WriteAllText(_defPath, Definition);
        _def = DefinitionFiles.Parse(_defPath);
    }

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private void Ingest(string csvBody)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, "entity_id,event_time,amount\n" + csvBody);
        new IngestService(_warehouse).Ingest("demo.events", path, new IngestOptions());
    }

    private BackfillResult Backfill(int fromDay, int toDay) => new BackfillService(_warehouse).Run(new BackfillRequest
    {
        DefinitionPath = _defPath,
        From = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(fromDay),
        To = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(toDay),
        CodeVersion = "test",
    });

    private IDatabase Db => _store.Database;

    [Test]
    public void Materialize_ThenGet_GivesEachEntitysNewestRow_AndTheCheckAgrees()
    {
        Ingest("1,2024-01-01T10:00:00Z,5\n1,2024-01-01T10:30:00Z,7\n2,2024-01-02T09:00:00Z,\n3,2024-01-03T12:00:00Z,2.5\n");
        Backfill(0, 4);

        var result = new MaterializeService(_warehouse, _store).Materialize(_def);
        var rows = _store.GetMany(_def, [["1"], ["2"], ["3"], ["404"]]);

        Assert.That(result.Incremental, Is.False);
        Assert.That(result.EntitiesWritten, Is.EqualTo(3));
        Assert.That(rows[0].TimeMicros, Is.EqualTo(new DateTimeOffset(2024, 1, 1, 10, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000));
        Assert.That(rows[0].Values["n_1h"], Is.EqualTo("2"));
        Assert.That(rows[0].Values["sum_1d"], Is.EqualTo("12"));
        Assert.That(rows[0].Values["ratio"], Is.EqualTo("6"));
        Assert.That(rows[0].Source, Is.EqualTo(result.SnapshotId.ToString(CultureInfo.InvariantCulture)));
        Assert.That(rows[1].Values["sum_1d"], Is.Null, "a null feature reads back as null");
        Assert.That(rows[3].Found, Is.False);
        var report = new ConsistencyCheck(_warehouse, _store).Run(_def, sample: 100);
        Assert.That((report.Sampled, report.Compared, report.Mismatched, report.Missing, report.Stale), Is.EqualTo((3, 3, 0, 0, 0)));
    }

    [Test]
    public void Materialize_IsIncremental_AndTouchesOnlyEntitiesWithNewRows()
    {
        Ingest("1,2024-01-01T10:00:00Z,5\n2,2024-01-02T09:00:00Z,1\n3,2024-01-03T12:00:00Z,2.5\n");
        Backfill(0, 4);
        var first = new MaterializeService(_warehouse, _store).Materialize(_def);
        Ingest("2,2024-01-02T09:30:00Z,4\n");
        Backfill(1, 2);

        var second = new MaterializeService(_warehouse, _store).Materialize(_def);
        var rows = _store.GetMany(_def, [["1"], ["2"], ["3"]]);

        Assert.That(second.Incremental, Is.True);
        Assert.That(second.PreviousSnapshotId, Is.EqualTo(first.SnapshotId));
        Assert.That(second.FilesRead, Is.EqualTo(1), "only the replaced day's file");
        Assert.That(second.EntitiesWritten, Is.EqualTo(1));
        Assert.That(rows[1].Source, Is.EqualTo(second.SnapshotId.ToString(CultureInfo.InvariantCulture)));
        Assert.That(rows[1].Values["n_1h"], Is.EqualTo("2"));
        Assert.That(rows[0].Source, Is.EqualTo(first.SnapshotId.ToString(CultureInfo.InvariantCulture)), "untouched entities keep what wrote them");
        Assert.That(_store.GetMeta(_def, MaterializeService.SnapshotField), Is.EqualTo(second.SnapshotId.ToString(CultureInfo.InvariantCulture)));
    }

    [Test]
    public void OlderValues_NeverOverwriteNewer_AndTtlApplies()
    {
        Ingest("1,2024-01-01T10:00:00Z,5\n");
        Backfill(0, 1);
        // The stream already served a newer value for entity 1.
        var stream = new StreamService(_warehouse);
        stream.Run(_def, new JsonLinesStreamSource(new MemoryStream(Encoding.UTF8.GetBytes("""{"entity_id": 1, "event_time": "2024-01-05T00:00:00Z", "amount": 100}""" + "\n")), "s"),
            new StreamOptions(), new RedisOnlineWriter(_store, TimeSpan.FromHours(1)));
        var streamed = _store.GetMany(_def, [["1"]])[0];

        new MaterializeService(_warehouse, _store).Materialize(_def, full: true, ttl: TimeSpan.FromDays(2));
        var after = _store.GetMany(_def, [["1"]])[0];

        Assert.That(streamed.Values["sum_1d"], Is.EqualTo("100"));
        Assert.That(after, Is.EqualTo(streamed).Using<OnlineRow>((a, b) => a.TimeMicros == b.TimeMicros && a.Values["sum_1d"] == b.Values["sum_1d"]));
        var ttl = Db.KeyTimeToLive(OnlineKeys.Entity(_prefix, _def, ["1"]));
        Assert.That(ttl, Is.Not.Null.And.LessThanOrEqualTo(TimeSpan.FromHours(1)), "the stream's TTL, since materialize changed nothing");
    }

    [Test]
    public void ConsistencyCheck_FindsCorruptedAndMissingValues()
    {
        Ingest("1,2024-01-01T10:00:00Z,5\n2,2024-01-02T09:00:00Z,1\n3,2024-01-03T12:00:00Z,2.5\n4,2024-01-03T13:00:00Z,3\n");
        Backfill(0, 4);
        new MaterializeService(_warehouse, _store).Materialize(_def);
        var db = Db;
        db.HashSet(OnlineKeys.Entity(_prefix, _def, ["1"]), "sum_1d", "500");
        db.KeyDelete(OnlineKeys.Entity(_prefix, _def, ["2"]));
        db.HashSet(OnlineKeys.Entity(_prefix, _def, ["3"]), OnlineKeys.TimeField, "0");

        var report = new ConsistencyCheck(_warehouse, _store).Run(_def, sample: 10);

        Assert.That((report.Sampled, report.Compared, report.Mismatched, report.Missing, report.Stale), Is.EqualTo((4, 2, 1, 1, 1)));
        Assert.That(report.MaxAbsDiff["sum_1d"], Is.EqualTo(495));
        Assert.That(report.MismatchRate, Is.EqualTo(0.75));
    }

    [Test]
    public void Stream_ThenBatchBackfill_AgreeOnEveryEntity([Values(3, 11, 29)] int seed)
    {
        // Random events with ties, nulls and disorder within the lateness: streamed to Redis, then the raw table they
        // landed in is backfilled; the check over every entity finds no difference.
        var random = new Random(seed);
        var lines = new List<(long Order, string Line)>();
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 2000; i++)
        {
            long minute = i + random.Next(3);
            var amount = random.Next(8) == 0 ? "null" : (random.Next(1, 4000) / 8.0).ToString(CultureInfo.InvariantCulture);
            lines.Add((minute + random.Next(15), $"{{\"entity_id\": {random.Next(60)}, \"event_time\": \"{start.AddMinutes(minute):yyyy-MM-ddTHH:mm:ssZ}\", \"amount\": {amount}}}"));
        }
        var input = string.Join("\n", lines.OrderBy(l => l.Order).Select(l => l.Line)) + "\n";
        new StreamService(_warehouse).Run(_def, new JsonLinesStreamSource(new MemoryStream(Encoding.UTF8.GetBytes(input)), "s"),
            new StreamOptions { AllowedLateness = TimeSpan.FromMinutes(30), CommitEveryEvents = 500, MicroBatchEvents = 128 }, new RedisOnlineWriter(_store));
        Backfill(0, 3);

        var report = new ConsistencyCheck(_warehouse, _store).Run(_def, sample: 1000);

        Assert.That(report.Sampled, Is.EqualTo(60));
        Assert.That((report.Mismatched, report.Missing, report.Stale, report.Ahead), Is.EqualTo((0, 0, 0, 0)), string.Join(", ", report.MaxAbsDiff));
    }

    [Test]
    public void BadConnections_AreClearErrors()
    {
        // A refused connection can still hold StackExchange.Redis for its whole connect timeout (5 s by default, which
        // this test sometimes waited out); the error is the same after half a second.
        var unreachable = Assert.Throws<FloeException>(() => OnlineStore.Connect(new RedisSettings { Endpoint = "127.0.0.1:1,connectTimeout=500" }));
        Assert.That(unreachable!.Code, Is.EqualTo(FloeErrorCode.Io));
        Assert.That(unreachable.Message, Does.Contain("unreachable"));
        var bad = Assert.Throws<FloeException>(() => new RedisSettings { Endpoint = "redis://" }.ToOptions());
        Assert.That(bad!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.Throws<FloeException>(() => _store.GetMany(_def, [["1", "2"]]));
    }

    [Test]
    public void ToOptions_KeepsTheConfigurationStringsTimeouts_AndDefaultsTheRest()
    {
        var given = new RedisSettings { Endpoint = "127.0.0.1:6379,ConnectTimeout=250,syncTimeout=1000" }.ToOptions();
        Assert.That((given.ConnectTimeout, given.SyncTimeout, given.AsyncTimeout), Is.EqualTo((250, 1000, 30000)));
        var plain = new RedisSettings { Endpoint = "127.0.0.1:6379" }.ToOptions();
        Assert.That((plain.ConnectTimeout, plain.SyncTimeout, plain.AsyncTimeout), Is.EqualTo((5000, 30000, 30000)));
        var uri = new RedisSettings { Endpoint = "redis://127.0.0.1:6379" }.ToOptions();
        Assert.That((uri.ConnectTimeout, uri.SyncTimeout, uri.AsyncTimeout), Is.EqualTo((5000, 30000, 30000)));
    }
}
