using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Application.Tables;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using NUnit.Framework;

namespace Floe.Catalog.Postgres.Tests;

[TestFixture]
public sealed class PostgresCatalogTests
{
    private string _dir = null!;
    private string _uri = null!;

    [SetUp]
    public void SetUp()
    {
        _uri = PostgresServer.FreshCatalogUri();
        _dir = Path.Combine(Path.GetTempPath(), "floe-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private Warehouse Open(out PostgresCatalog catalog)
    {
        catalog = new PostgresCatalog(_uri, Path.Combine(_dir, "warehouse"));
        return new Warehouse(Path.Combine(_dir, "warehouse"), catalog, catalog);
    }

    [Test]
    public void Catalog_FollowsTheJdbcLayout()
    {
        using var catalog = new PostgresCatalog(_uri, _dir);
        var id = TableIdentifier.Parse("db.events");
        catalog.CreateNamespace("db", new Dictionary<string, string> { ["owner"] = "ml" });

        catalog.CreateTableEntry(id, "file:///m1.json");
        var exists = Assert.Throws<FloeException>(() => catalog.CreateTableEntry(id, "file:///m2.json"));
        catalog.SwapMetadataLocation(id, "file:///m1.json", "file:///m2.json");
        var conflict = Assert.Throws<FloeException>(() => catalog.SwapMetadataLocation(id, "file:///m1.json", "file:///m3.json"));

        Assert.Multiple(() =>
        {
            Assert.That(exists!.Code, Is.EqualTo(FloeErrorCode.AlreadyExists));
            Assert.That(conflict!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
            Assert.That(catalog.LoadMetadataLocation(id), Is.EqualTo("file:///m2.json"));
            Assert.That(catalog.ListNamespaces(), Is.EqualTo(new[] { "db" }));
            Assert.That(catalog.LoadNamespaceProperties("db"), Is.EquivalentTo(new Dictionary<string, string> { ["owner"] = "ml" }));
            Assert.That(catalog.ListTables(), Is.EqualTo(new[] { id }));
            Assert.Throws<FloeException>(() => catalog.DropNamespace("db"));
        });
        catalog.DropTableEntry(id);
        Assert.That(catalog.TableExists(id), Is.False);
        Assert.That(Assert.Throws<FloeException>(() => catalog.LoadMetadataLocation(id))!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void Warehouse_OnPostgres_WritesAndReadsTables()
    {
        var warehouse = Open(out var catalog);
        using (catalog)
        {
            new TableService(warehouse).Create("db.events", "id:long not null,ts:timestamptz not null,amount:double", "day(ts)");
            var csv = Path.Combine(_dir, "e.csv");
            File.WriteAllText(csv, "id,ts,amount\n1,2024-01-01T00:00:00Z,1.5\n2,2024-01-02T00:00:00Z,2.5\n");
            new IngestService(warehouse).Ingest("db.events", csv, new IngestOptions());
        }

        // Another process (a fresh connection) sees the same table through the catalog alone.
        using var again = new PostgresCatalog(_uri, Path.Combine(_dir, "warehouse"));
        var reopened = new Warehouse(Path.Combine(_dir, "warehouse"), again, again);
        Assert.That(new ScanService(reopened).Count("db.events", new ScanRequest()).Rows, Is.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(_dir, "warehouse", Warehouse.CatalogFileName)), Is.False, "no SQLite file beside a PostgreSQL catalog");
    }

    [Test]
    public void ConcurrentWriters_LoseNoCommit()
    {
        var warehouse = Open(out var catalog);
        using (catalog)
        {
            // Four writers race on one table: on a loaded machine the default budget of 4 retries can run out, which
            // is a refused commit, not a lost one. A budget as large as the stress suite's leaves only the property
            // under test: every commit lands once.
            var retries = new Dictionary<string, string>
            {
                ["commit.retry.num-retries"] = "100000",
                ["commit.retry.min-wait-ms"] = "5",
                ["commit.retry.max-wait-ms"] = "250",
            };
            new TableService(warehouse).Create("db.events", "id:long not null,ts:timestamptz not null", "day(ts)", retries);
        }
        const int writers = 4, commitsEach = 6;
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            try
            {
                using var own = new PostgresCatalog(_uri, Path.Combine(_dir, "warehouse"));
                var wh = new Warehouse(Path.Combine(_dir, "warehouse"), own, own);
                for (int i = 0; i < commitsEach; i++)
                {
                    var csv = Path.Combine(_dir, $"w{w}-{i}.csv");
                    File.WriteAllText(csv, $"id,ts\n{w * 100 + i},2024-01-0{1 + i % 3}T00:00:00Z\n");
                    new IngestService(wh).Ingest("db.events", csv, new IngestOptions());
                }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(errors, Is.Empty);
        using var check = new PostgresCatalog(_uri, Path.Combine(_dir, "warehouse"));
        var table = new Warehouse(Path.Combine(_dir, "warehouse"), check, check).LoadTable(TableIdentifier.Parse("db.events"));
        Assert.That(table.Metadata.Snapshots, Has.Count.EqualTo(writers * commitsEach));
        Assert.That(new ScanService(new Warehouse(Path.Combine(_dir, "warehouse"), check, check)).Count("db.events", new ScanRequest()).Rows, Is.EqualTo(writers * commitsEach));
    }

    [Test]
    public void Factory_ChoosesTheCatalogByUri()
    {
        var folder = Path.Combine(_dir, "warehouse");
        var onPostgres = Floe.Application.Warehouses.WarehouseFactory.Open(folder, _uri, create: true);
        Assert.That(onPostgres.Catalog, Is.InstanceOf<PostgresCatalog>());
        new TableService(onPostgres).Create("db.t", "id:long");
        var onSqlite = Floe.Application.Warehouses.WarehouseFactory.Open(folder, "sqlite:" + Path.Combine(_dir, "other.db"), create: true);
        Assert.That(onSqlite.Catalog.TableExists(TableIdentifier.Parse("db.t")), Is.False, "a different catalog over the same folder");
        Assert.That(Floe.Application.Warehouses.WarehouseFactory.Open(folder, _uri, create: false).Catalog.TableExists(TableIdentifier.Parse("db.t")));

        Assert.That(Assert.Throws<FloeException>(() => Floe.Application.Warehouses.WarehouseFactory.Open(folder, "mysql://h/db", create: false))!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(Assert.Throws<FloeException>(() => Floe.Application.Warehouses.WarehouseFactory.Open("postgresql://h/db", null, create: false))!.Message, Does.Contain("--catalog"));
        Assert.That(Assert.Throws<FloeException>(() => Floe.Application.Warehouses.WarehouseFactory.Open(folder, "sqlite:" + Path.Combine(_dir, "missing.db"), create: false))!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(File.Exists(Path.Combine(_dir, "missing.db")), Is.False, "a read-only open creates nothing");
    }

    [Test]
    public void BadUris_WrongPasswords_AndStoppedServers_AreClearErrors()
    {
        var bad = Assert.Throws<FloeException>(() => _ = PostgresConnectionUri.Parse("postgresql://host"));
        Assert.That(bad!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        var option = Assert.Throws<FloeException>(() => _ = PostgresConnectionUri.Parse("postgresql://h/db?frobnicate=1"));
        Assert.That(option!.Message, Does.Contain("frobnicate"));
        Assert.That(PostgresConnectionUri.Redacted("postgresql://u:secret@h/db"), Is.EqualTo("postgresql://u:***@h/db"));

        var unreachable = Assert.Throws<FloeException>(() => _ = new PostgresCatalog("postgresql://floe@127.0.0.1:1/floe?timeout=2", _dir));
        Assert.That(unreachable!.Code, Is.EqualTo(FloeErrorCode.Io));
        Assert.That(unreachable.Message, Does.Contain("unreachable").And.Contain("127.0.0.1:1"));

        var uri = new Uri(_uri);
        var missingDb = Assert.Throws<FloeException>(() => _ = new PostgresCatalog($"postgresql://{uri.UserInfo}@{uri.Host}:{uri.Port}/no_such_db_{Guid.NewGuid():N}", _dir));
        Assert.That(missingDb!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }
}
