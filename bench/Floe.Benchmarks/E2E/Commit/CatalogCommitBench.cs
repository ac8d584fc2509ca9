using System.Diagnostics;
using System.Globalization;
using Floe.Application.Warehouses;
using Floe.Benchmarks.E2E.Ingest;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;

namespace Floe.Benchmarks.E2E.Commit;

/// <summary>
/// <c>catalog-commits [--catalogs sqlite,postgresql://user@host:port/db,rest,...] [--writers 1,4,16] [--commits 25]</c>:
/// commit latency and commits/s when N writers append to one table at once through each catalog. Each writer is a
/// thread with its own warehouse handle (its own catalog connection, as a separate process would have); a commit is
/// a fresh load of the table plus a FastAppend of one data file, retried on conflict until it lands, timed from the
/// load to the swap. Every catalog gets a fresh warehouse folder (PostgreSQL: a catalog name of its own). <c>rest</c>
/// is Floe's REST catalog server (in this process, over a SQLite warehouse) reached by Floe's REST client over
/// loopback HTTP: a commit is then a POST of requirements + updates that the server applies.
/// </summary>
internal static class CatalogCommitBench
{
    private static readonly TableIdentifier Id = TableIdentifier.Parse("bench.commits");

    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var catalogs = a.Get("catalogs", "sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var writerCounts = a.Get("writers", "1,4,16").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var commits = (int)a.GetLong("commits", 25);
        var rows = new List<string>();
        foreach (var catalog in catalogs)
        {
            foreach (var writers in writerCounts)
            {
                var dir = Path.Combine(Path.GetTempPath(), "floe-catalogbench-" + Guid.NewGuid().ToString("N"));
                try
                {
                    rows.Add(Measure(catalog, dir, writers, commits));
                }
                finally
                {
                    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine("| catalog | writers | commits | commits/s | latency median (ms) | p95 (ms) | max (ms) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows) Console.WriteLine(r);
        return 0;
    }

    private static string Measure(string catalog, string dir, int writers, int commitsPerWriter)
    {
        using var server = catalog == "rest"
            ? Floe.Application.Catalogs.CatalogServing.Start(WarehouseFactory.Open(dir, null, create: true), "127.0.0.1", FreePort(), token: null)
            : null;
        var uri = catalog == "sqlite" ? null
            : server is not null ? server.Url
            : catalog + (catalog.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "catalog=bench" + Guid.NewGuid().ToString("N");
        var setup = WarehouseFactory.Open(dir, uri, create: true);
        var table = setup.CreateTable(Id, CommitTableBuilder.EventsSchema, CommitTableBuilder.DaySpec, new Dictionary<string, string>
        {
            // Concurrent appends never conflict semantically; they only lose swaps, so retry until they land.
            ["commit.retry.num-retries"] = "100000",
            ["commit.retry.min-wait-ms"] = "1",
            ["commit.retry.max-wait-ms"] = "50",
        });
        var template = CommitTableBuilder.WriteTemplate(table);
        // Warm-up: JIT and the first connection, not measured.
        for (var i = 0; i < 3; i++) Append(setup, template, i);

        var latencies = new List<double>[writers];
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var own = WarehouseFactory.Open(dir, uri, create: false);
            var samples = latencies[w] = new List<double>(commitsPerWriter);
            for (var c = 0; c < commitsPerWriter; c++)
            {
                var start = Stopwatch.GetTimestamp();
                Append(own, template, w * commitsPerWriter + c);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var wall = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        var (median, p95) = Latency.Of(all);
        var snapshots = WarehouseFactory.Open(dir, uri, create: false).LoadTable(Id).Metadata.Snapshots.Count;
        if (snapshots != all.Count + 3) throw new InvalidOperationException($"{snapshots} snapshots after {all.Count + 3} commits: a commit was lost");
        var name = catalog == "sqlite" ? "SQLite" : catalog == "rest" ? "REST (Floe server)" : catalog.StartsWith("postgres", StringComparison.Ordinal) ? "PostgreSQL" : catalog;
        Console.WriteLine($"{name}, {writers} writers: {all.Count} commits in {wall:F2} s");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {writers} | {all.Count} | {all.Count / wall:F1} | {median:F1} | {p95:F1} | {all.Max():F1} |");
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static void Append(Warehouse warehouse, DataFile template, int n)
    {
        var table = warehouse.LoadTable(Id);
        var append = new FastAppend(table);
        append.AppendFile(CommitTableBuilder.FileFor(template, CommitTableBuilder.Day0 + n % 365));
        append.Commit();
    }
}
