using System.Diagnostics;
using Floe.Application.Warehouses;
using Floe.Catalog.Rest.Client;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Tests.Shared;

namespace Floe.Catalog.Rest.Tests;

/// <summary>Floe's REST client against <c>floe catalog serve</c> in another process, and several floe processes on one PostgreSQL catalog.</summary>
[TestFixture]
public sealed class ProcessTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void ClientAndServerInTwoProcesses_AndAStoppedServer_LeavesTheLastSnapshot()
    {
        var warehouse = Path.Combine(_dir, "wh");
        var (server, served) = FloeProcess.Serve(warehouse, "--token", "secret");
        var port = served.Port;
        Assert.That(port, Is.GreaterThan(0), "the server says which port it took");
        var stopped = false;
        long lastSnapshot;
        TableIdentifier id;
        try
        {
            var url = $"http://127.0.0.1:{port}";
            // The CLI as a REST client in a third process.
            var csv = Path.Combine(_dir, "a.csv");
            File.WriteAllText(csv, "id,v\n1,a\n2,b\n");
            var create = FloeProcess.Run("--catalog", url, "--catalog-token", "secret", "table", "create", "ns.t", "--schema", "id:long,v:string");
            Assert.That(create.Exit, Is.EqualTo(0), create.Err);
            var ingest = FloeProcess.Run("--catalog", url, "--catalog-credential", "me:secret", "ingest", "ns.t", csv);
            Assert.That(ingest.Exit, Is.EqualTo(0), ingest.Err);
            var denied = FloeProcess.Run("--catalog", url, "table", "list");
            Assert.That(denied.Exit, Is.Not.EqualTo(0));
            Assert.That(denied.Err, Does.Contain("401").And.Not.Contain("   at "));

            // This process as a client.
            var client = WarehouseFactory.Open(warehouse, url, create: false, "secret", credential: null);
            Assert.That(client.Catalog, Is.InstanceOf<RestCatalog>());
            var table = Events.Create(client, "ns.events");
            Events.Append(table, Events.Batch(new[] { 0 }, 4, 0));
            id = table.Identifier;
            lastSnapshot = table.Refresh().Metadata.CurrentSnapshotId!.Value;

            var prepared = new Floe.Iceberg.Transactions.FastAppend(table);
            foreach (var f in Events.Write(table, Events.Batch(new[] { 1 }, 2, 0))) prepared.AppendFile(f);
            FloeProcess.Stop(server);
            stopped = true;
            var error = Assert.Throws<FloeException>(() => prepared.Commit());
            Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.Io));
            Assert.That(error.Message, Does.Contain("unreachable").And.Contain($"127.0.0.1:{port}"));
        }
        finally
        {
            if (!stopped) FloeProcess.Stop(server);
        }

        // Read with the embedded catalog directly: the table is at the last snapshot the server accepted.
        var local = new Warehouse(warehouse);
        var after = local.LoadTable(id);
        Assert.That(after.Metadata.CurrentSnapshotId, Is.EqualTo(lastSnapshot));
        Assert.That(Events.Count(after), Is.EqualTo(4));
        Assert.That(local.LoadTable(TableIdentifier.Parse("ns.t")).Metadata.Snapshots, Has.Count.EqualTo(1));
    }

    [Test]
    [Category(TestTier.Stress)]
    public void SeveralFloeProcesses_OnOnePostgresCatalog_LoseNoCommit()
    {
        var uri = CatalogUnderTest.FreshPostgresUri();
        var warehouse = Path.Combine(_dir, "wh");
        var create = FloeProcess.Run("--warehouse", warehouse, "--catalog", uri, "table", "create", "db.events", "--schema", "id:long not null,day:date not null", "--partition", "identity(day)",
            // Ten writers race for one pointer: Iceberg's default of 4 retries can rightly run out on a loaded
            // machine (the loser fails cleanly, but this test is about losing nothing when every writer persists).
            "--property", "commit.retry.num-retries=1000", "--property", "commit.retry.min-wait-ms=5",
            "--property", "commit.retry.max-wait-ms=250");
        Assert.That(create.Exit, Is.EqualTo(0), create.Err);
        // Appenders add to January days; overwriters each replace a February day of their own (two
        // overwrites of one day at once would rightly conflict), all at the same time.
        const int appenders = 3, overwriters = 2, runsEach = 2;
        var running = new List<(Process Process, Task<string> Err)>();
        void Launch(string csv, params string[] extra)
        {
            var process = Process.Start(FloeProcess.StartInfo(new[] { "--warehouse", warehouse, "--catalog", uri, "ingest", "db.events", csv }.Concat(extra).ToArray()))!;
            running.Add((process, process.StandardError.ReadToEndAsync()));
        }
        for (var run = 0; run < runsEach; run++)
        {
            for (var a = 0; a < appenders; a++)
            {
                var csv = Path.Combine(_dir, $"a{a}-{run}.csv");
                File.WriteAllText(csv, $"id,day\n{a * 10 + run},2024-01-0{1 + a % 2}\n");
                Launch(csv);
            }
            for (var o = 0; o < overwriters; o++)
            {
                var csv = Path.Combine(_dir, $"o{o}-{run}.csv");
                var day = $"2024-02-0{1 + o * runsEach + run}";
                File.WriteAllText(csv, $"id,day\n{100 + o * 10 + run},{day}\n{200 + o * 10 + run},{day}\n");
                Launch(csv, "--mode", "overwrite-partitions");
            }
        }
        foreach (var (process, err) in running)
        {
            process.StandardOutput.ReadToEnd();
            Assert.That(process.WaitForExit(TimeSpan.FromMinutes(3)), Is.True);
            Assert.That(process.ExitCode, Is.EqualTo(0), err.Result);
            process.Dispose();
        }

        var check = WarehouseFactory.Open(warehouse, uri, create: false);
        var table = check.LoadTable(TableIdentifier.Parse("db.events"));
        Assert.That(table.Metadata.Snapshots, Has.Count.EqualTo(runsEach * (appenders + overwriters)), "one snapshot per process run");
        Assert.That(Events.Count(table), Is.EqualTo(runsEach * (appenders + overwriters * 2)), "every appended and overwritten row survives");
    }
}
