using System.Diagnostics;
using System.Globalization;
using Floe.Application.Catalogs;
using Floe.Application.Warehouses;
using Floe.Benchmarks.E2E.Commit;
using Floe.Catalog.Rest.Client;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;

namespace Floe.Benchmarks.E2E.Catalog;

/// <summary>
/// <c>catalog</c>: commit latency and commits/s with 1, 4 and 16 concurrent writers (threads, each with its own
/// catalog handle) on the SQLite, PostgreSQL and REST catalogs, and loadTable latency through REST on a table with
/// 10,000 snapshots. Every writer fast-appends one data file per commit to a day-partitioned table, retrying lost
/// races; the run checks that the table ends with exactly writers × commits snapshots. The REST server runs in
/// this process over a SQLite warehouse; its clients talk to it over loopback HTTP.
/// Options: --commits N per writer (20), --writers 1,4,16, --catalogs sqlite,postgresql,rest,
/// --postgres URI ($FLOE_POSTGRES_URL), --snapshots 10000, --loads 20.
/// </summary>
internal static class CatalogBench
{
    public static int Run(string[] args)
    {
        var commits = IntArg(args, "--commits", 20);
        var writers = StringArg(args, "--writers", "1,4,16").Split(',').Select(int.Parse).ToArray();
        var catalogs = StringArg(args, "--catalogs", "sqlite,postgresql,rest").Split(',');
        var postgres = StringArg(args, "--postgres", Environment.GetEnvironmentVariable("FLOE_POSTGRES_URL") ?? "");
        var snapshots = IntArg(args, "--snapshots", 10_000);
        var loads = IntArg(args, "--loads", 20);
        var root = Path.Combine(Path.GetTempPath(), "floe-catalog-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            Console.WriteLine($"| catalog | writers | commits | wall s | commits/s | latency median ms | p95 ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var kind in catalogs)
            {
                if (kind == "postgresql" && postgres.Length == 0)
                {
                    Console.WriteLine("| postgresql | – | – | – | – | – | (no --postgres / FLOE_POSTGRES_URL) |");
                    continue;
                }
                foreach (var w in writers) Concurrent(root, kind, postgres, w, commits);
            }
            if (snapshots > 0) LoadTable(root, snapshots, loads);
            return 0;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static void Concurrent(string root, string kind, string postgres, int writers, int commits)
    {
        var folder = Path.Combine(root, $"{kind}-{writers}");
        var catalogUri = kind switch
        {
            "sqlite" => null,
            "postgresql" => postgres + (postgres.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "catalog=bench" + Guid.NewGuid().ToString("N"),
            _ => null,
        };
        IDisposable? server = null;
        if (kind == "rest")
        {
            var rest = CatalogServing.Start(WarehouseFactory.Open(folder, null, create: true), "127.0.0.1", FreePort(), token: null);
            server = rest;
            catalogUri = rest.Url;
        }
        try
        {
            var id = TableIdentifier.Parse("bench.events");
            var setup = WarehouseFactory.Open(folder, catalogUri, create: true);
            var table = setup.CreateTable(id, CommitTableBuilder.EventsSchema, CommitTableBuilder.DaySpec, new Dictionary<string, string>
            {
                ["commit.retry.num-retries"] = "1000",
                ["commit.retry.min-wait-ms"] = "1",
                ["commit.retry.max-wait-ms"] = "50",
            });
            var template = CommitTableBuilder.WriteTemplate(table);
            var latencies = new List<double>();
            var start = new Barrier(writers + 1);
            var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
            {
                var own = WarehouseFactory.Open(folder, catalogUri, create: false).LoadTable(id);
                var mine = new List<double>();
                start.SignalAndWait();
                for (var c = 0; c < commits; c++)
                {
                    var sw = Stopwatch.StartNew();
                    var append = new FastAppend(own);
                    append.AppendFile(CommitTableBuilder.FileFor(template, CommitTableBuilder.Day0 + w));
                    append.Commit();
                    mine.Add(sw.Elapsed.TotalMilliseconds);
                }
                lock (latencies) latencies.AddRange(mine);
            })).ToList();
            threads.ForEach(t => t.Start());
            start.SignalAndWait();
            var wall = Stopwatch.StartNew();
            threads.ForEach(t => t.Join());
            var seconds = wall.Elapsed.TotalSeconds;
            var final = WarehouseFactory.Open(folder, catalogUri, create: false).LoadTable(id);
            if (final.Metadata.Snapshots.Count != writers * commits)
            {
                throw new InvalidOperationException($"{kind}: {final.Metadata.Snapshots.Count} snapshots, expected {writers * commits}");
            }
            var (median, p95) = Latency.Of(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {kind} | {writers} | {writers * commits} | {seconds:F2} | {writers * commits / seconds:F1} | {median:F1} | {p95:F1} |"));
        }
        finally
        {
            server?.Dispose();
        }
    }

    private static void LoadTable(string root, int snapshots, int loads)
    {
        var folder = Path.Combine(root, "load");
        var local = WarehouseFactory.Open(folder, null, create: true);
        var id = TableIdentifier.Parse("bench.history");
        var created = local.CreateTable(id, CommitTableBuilder.EventsSchema, CommitTableBuilder.DaySpec);
        var template = CommitTableBuilder.WriteTemplate(created);
        CommitTableBuilder.Grow(created, template, snapshots, snapshots, 30);
        var size = new FileInfo(new Uri(local.LoadTable(id).MetadataLocation).LocalPath).Length;
        using var server = CatalogServing.Start(local, "127.0.0.1", FreePort(), token: null);
        using var client = new RestCatalog(server.Url, folder);
        var remote = new Warehouse(folder, client, client);

        var http = Measure(loads, () => client.LoadMetadataLocation(id));
        var full = Measure(loads, () => remote.LoadTable(id));
        var embedded = Measure(loads, () => local.LoadTable(id));
        if (remote.LoadTable(id).Metadata.Snapshots.Count != snapshots) throw new InvalidOperationException("loadTable lost snapshots");
        Console.WriteLine();
        Console.WriteLine($"loadTable, {snapshots} snapshots, metadata {size / 1024.0:F0} KiB, {loads} loads each:");
        Console.WriteLine("| what | median ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| REST GET loadTable (server reads + sends the metadata) | {http.Median:F1} | {http.P95:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Floe client LoadTable through REST (GET + parse) | {full.Median:F1} | {full.P95:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| same table, embedded SQLite catalog | {embedded.Median:F1} | {embedded.P95:F1} |"));
    }

    private static (double Median, double P95) Measure(int n, Action action)
    {
        action();
        var samples = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }
        return Latency.Of(samples);
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
