using Floe.Application.Backfill;
using Floe.Application.Scanning;
using Floe.Application.Demo;
using Floe.Application.Features;
using Floe.Application.Ingest;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Application.Tests.Backfill;

/// <summary>A warehouse holding a day-partitioned <c>demo.events</c> table and a feature definition reading it.</summary>
internal sealed partial class BackfillFixture : IDisposable
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(T\d\d:\d\d:\d\d)\.0+Z")]
    private static partial System.Text.RegularExpressions.Regex WholeSecond();

    public const string Json = """
        {
          "name": "user_txn", "version": 1,
          "entity": ["entity_id"], "timestamp": "event_time",
          "source": {"table": "demo.events"},
          "filter": "amount > 0",
          "features": [
            {"name": "txn_count_1h",  "agg": "count", "window": "1h"},
            {"name": "amount_sum_2d", "agg": "sum", "column": "amount", "window": "2d"},
            {"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"},
            {"name": "last_2",        "agg": "last_n", "n": 2, "column": "amount", "window": "1d"},
            {"name": "avg_2d",        "expr": "amount_sum_2d / txn_count_1h"}
          ]
        }
        """;

    /// <summary>The same definition in YAML, keys in another order, with comments.</summary>
    public const string Yaml = """
        # the same group as the JSON one
        version: 1
        name: user_txn
        timestamp: event_time
        entity: [entity_id]
        source:
          table: demo.events
        filter: "amount > 0"
        features:
          - {name: txn_count_1h, agg: count, window: 1h}
          - name: amount_sum_2d
            agg: sum
            column: amount
            window: 2d
          - {name: amount_max_1d, agg: max, column: amount, window: 1d}
          - {name: last_2, agg: last_n, n: 2, column: amount, window: 1d}
          - {expr: "amount_sum_2d / txn_count_1h", name: avg_2d}
        """;

    public static readonly DateTimeOffset Day0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public BackfillFixture(int rows = 6_000, int days = 6)
    {
        Events = Path.Combine(W.Directory, "events.csv");
        new EventGenerator { Rows = rows, Entities = 90, Days = days }.WriteCsv(Events);
        W.Tables.Create("demo.events", EventGenerator.Schema, "day(event_time)");
        W.Ingest.Ingest("demo.events", Events, new IngestOptions());
        Definition = W.WriteFile("def.json", Json);
        Service = new BackfillService(W.Warehouse);
    }

    public TempWarehouse W { get; } = new();
    public string Events { get; }
    public string Definition { get; }
    public BackfillService Service { get; }

    public static DateTimeOffset Day(int n) => Day0.AddDays(n);

    public BackfillResult Run(int from, int to, Func<BackfillRequest, BackfillRequest>? change = null, IProgress<BackfillProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var request = new BackfillRequest { DefinitionPath = Definition, From = Day(from), To = Day(to), CodeVersion = "test" };
        return Service.Run(change is null ? request : change(request), progress, cancellation);
    }

    /// <summary>What <c>features compute</c> writes for the range, as sorted CSV lines (header first).</summary>
    public List<string> Computed(int from, int to, string? source = null)
    {
        var output = Path.Combine(W.Directory, $"computed-{Guid.NewGuid():N}.csv");
        new FeatureService(W.Warehouse).Compute(Definition, Day(from), Day(to), source, output);
        // The two CSV writers spell a whole-second timestamp differently (".000000Z" and "Z"): same value, same text here.
        var lines = File.ReadAllLines(output).Select(l => WholeSecond().Replace(l, "$1Z")).ToList();
        var header = lines[0];
        var rows = lines.Skip(1).OrderBy(l => l, StringComparer.Ordinal).ToList();
        rows.Insert(0, header);
        return rows;
    }

    /// <summary>The feature table's rows at <paramref name="request"/> (default main), sorted, header first.</summary>
    public List<string> TableRows(ScanRequest? request = null) => W.ScanLines("features.user_txn", request);

    /// <summary>The feature table's rows whose event time falls in days [from, to).</summary>
    public List<string> TableRows(int from, int to, string? reference = null)
    {
        var filter = $"event_time >= '{Day(from):yyyy-MM-dd}' and event_time < '{Day(to):yyyy-MM-dd}'";
        return TableRows(new ScanRequest { Filter = filter, Ref = reference });
    }

    /// <summary>The live data files of each day partition at the head of <paramref name="branch"/>.</summary>
    public Dictionary<int, List<string>> FilesByDay(string branch = "main")
    {
        var table = W.Warehouse.LoadTable(Iceberg.Catalog.TableIdentifier.Parse("features.user_txn"));
        var snapshot = table.Metadata.SnapshotForRef(branch)!;
        var result = new Dictionary<int, List<string>>();
        foreach (var manifest in table.Operations.ReadManifestList(snapshot.ManifestList))
        {
            foreach (var entry in ManifestReader.Read(table.Io, manifest, table.Metadata.SpecById, table.Schema))
            {
                if (entry.Status == ManifestEntryStatus.Deleted) continue;
                var day = (int)entry.DataFile.Partition[0]!;
                if (!result.TryGetValue(day, out var list)) result[day] = list = new List<string>();
                list.Add(entry.DataFile.FilePath);
            }
        }
        foreach (var list in result.Values) list.Sort(StringComparer.Ordinal);
        return result;
    }

    public Snapshot? Head(string branch = "main") =>
        W.Warehouse.Catalog.TableExists(Iceberg.Catalog.TableIdentifier.Parse("features.user_txn"))
            ? W.Warehouse.LoadTable(Iceberg.Catalog.TableIdentifier.Parse("features.user_txn")).Metadata.SnapshotForRef(branch)
            : null;

    /// <summary>Every file under the feature table's data folder.</summary>
    public List<string> DataFolderFiles()
    {
        var dir = Path.Combine(W.Warehouse.Directory, "features", "user_txn", "data");
        return Directory.Exists(dir) ? Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList() : new List<string>();
    }

    public static int EpochDay(int n) => (int)(Day(n).ToUnixTimeSeconds() / 86_400);

    public void Dispose() => W.Dispose();
}
