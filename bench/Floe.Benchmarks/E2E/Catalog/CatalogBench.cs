using System.Diagnostics;
using System.Globalization;
using Floe.Application.Catalogs;
using Floe.Application.Warehouses;
using Floe.Benchmarks.E2E.Commit;
using Floe.Catalog.Rest.Client;
using Floe.Iceberg.Catalog;

namespace Floe.Benchmarks.E2E.Catalog;

/// <summary>
/// <c>catalog [--snapshots 10000] [--loads 20]</c>: loadTable latency through Floe's REST catalog server (in this
/// process, loopback HTTP) on a table with 10,000 snapshots, against the embedded SQLite catalog on the same table.
/// Concurrent commit latency per catalog, REST included, is <c>catalog-commits</c>.
/// </summary>
internal static class CatalogBench
{
    public static int Run(string[] args)
    {
        var snapshots = IntArg(args, "--snapshots", 10_000);
        var loads = IntArg(args, "--loads", 20);
        var root = Path.Combine(Path.GetTempPath(), "floe-catalog-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            LoadTable(root, snapshots, loads);
            return 0;
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
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

}
