using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Application.Backfill;
using Floe.Application.Features;
using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using NUnit.Framework;

namespace Floe.Online.Tests;

/// <summary>Forgetting an entity in the warehouse and the online store together, against a real redis-server.</summary>
[TestFixture]
public sealed class OnlineForgetTests
{
    private const string Definition = """
        {"name": "user_txn", "version": 1, "entity": "entity_id", "timestamp": "event_time",
         "source": {"table": "demo.events"},
         "features": [{"name": "n_1h", "agg": "count", "window": "1h"}]}
        """;

    private const string CompositeDefinition = """
        {"name": "user_merchant", "version": 2, "entity": ["entity_id", "merchant"], "timestamp": "event_time",
         "source": {"table": "demo.events"},
         "features": [{"name": "n_1h", "agg": "count", "window": "1h"}]}
        """;

    private string _dir = null!;
    private Warehouse _warehouse = null!;
    private OnlineStore _store = null!;
    private string _prefix = null!;

    [SetUp]
    public void SetUp()
    {
        var url = TestRedis.Url();
        _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        _store = OnlineStore.Connect(new RedisSettings { Endpoint = url, Prefix = _prefix });
        _dir = Path.Combine(Path.GetTempPath(), "floe-forget-" + Guid.NewGuid().ToString("N"));
        _warehouse = new Warehouse(Path.Combine(_dir, "warehouse"));
        new TableService(_warehouse).Create("demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)");
    }

    [TearDown]
    public void TearDown()
    {
        _store?.Dispose();
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private FeatureGroupDefinition Def(string json, string name)
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, json);
        return DefinitionFiles.Parse(path);
    }

    private static RecordBatch CompositeRows(params (long Entity, string Merchant)[] keys)
    {
        var ids = new Int64Array.Builder();
        var merchants = new StringArray.Builder();
        var times = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var counts = new Int64Array.Builder();
        foreach (var (entity, merchant) in keys)
        {
            ids.Append(entity);
            merchants.Append(merchant);
            times.Append(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero));
            counts.Append(1);
        }
        var schema = new Apache.Arrow.Schema.Builder()
            .Field(f => f.Name("entity_id").DataType(Int64Type.Default))
            .Field(f => f.Name("merchant").DataType(StringType.Default))
            .Field(f => f.Name("event_time").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")))
            .Field(f => f.Name("n_1h").DataType(Int64Type.Default))
            .Build();
        return new RecordBatch(schema, new IArrowArray[] { ids.Build(), merchants.Build(), times.Build(), counts.Build() }, keys.Length);
    }

    [Test]
    public void Forget_RemovesTheEntitysRowsAndOnlineKeys_AndLeavesOthers()
    {
        var csv = Path.Combine(_dir, "events.csv");
        File.WriteAllText(csv, "entity_id,event_time,amount\n1,2024-01-01T10:00:00Z,5\n2,2024-01-01T11:00:00Z,1\n1,2024-01-02T09:00:00Z,3\n3,2024-01-02T12:00:00Z,2\n");
        new IngestService(_warehouse).Ingest("demo.events", csv, new IngestOptions());
        var def = Def(Definition, "def");
        new BackfillService(_warehouse).Run(new BackfillRequest
        {
            DefinitionPath = Path.Combine(_dir, "def.json"),
            From = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero),
            CodeVersion = "test",
        });
        new MaterializeService(_warehouse, _store).Materialize(def);
        var composite = Def(CompositeDefinition, "composite");
        _store.Write(composite, CompositeRows((1, "shop:a"), (1, "shop%b"), (2, "shop:a"), (11, "x")), "test");
        Assert.That(_store.GetMany(def, [["1"], ["2"], ["3"]]).Select(r => r.Found), Is.EqualTo(new[] { true, true, true }));

        var dry = OnlineForget.Forget(_store, "entity_id", "1", dryRun: true);
        Assert.That(dry.Keys, Has.Count.EqualTo(3));
        Assert.That(_store.GetMany(def, [["1"]])[0].Found, Is.True, "a dry run deletes nothing");

        var tables = new ForgetService(_warehouse).Forget("entity_id", "1", reason: "erasure request 42");
        var online = OnlineForget.Forget(_store, "entity_id", "1");

        Assert.That(online.Keys, Is.EquivalentTo(dry.Keys));
        Assert.That(online.Groups, Is.EquivalentTo(new[] { "user_txn:v1", "user_merchant:v2" }));
        Assert.That(online.UnknownGroups, Is.Empty);
        Assert.That(_store.GetMany(def, [["1"], ["2"], ["3"]]).Select(r => r.Found), Is.EqualTo(new[] { false, true, true }));
        Assert.That(_store.GetMany(composite, [["1", "shop:a"], ["1", "shop%b"], ["2", "shop:a"], ["11", "x"]]).Select(r => r.Found),
            Is.EqualTo(new[] { false, false, true, true }), "only keys whose entity_id part is 1, not 11");
        Assert.That(_store.Database.KeyExists($"{_prefix}:user_txn:v1:_meta"), Is.True, "group metadata stays");
        foreach (var r in tables)
        {
            var table = _warehouse.LoadTable(TableIdentifier.Parse(r.Table));
            var scan = new TableScan(table).Filter(Floe.Iceberg.Expressions.ExpressionParser.Parse("entity_id = 1", table.Schema));
            long left = 0;
            foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks)) left += batch.Length;
            Assert.That(left, Is.Zero, r.Table);
            Assert.That(table.Metadata.CurrentSnapshot!.Summary[ForgetService.ReasonSummaryKey], Is.EqualTo("erasure request 42"));
        }
        Assert.That(tables.Select(t => t.Table), Does.Contain("demo.events"));
    }
}
