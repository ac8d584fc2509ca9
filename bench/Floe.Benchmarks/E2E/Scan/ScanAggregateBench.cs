using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Application.Tables;
using Floe.Benchmarks.E2E.Ingest;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;

namespace Floe.Benchmarks.E2E.Scan;

/// <summary>
/// <c>scan-agg [--rows N] [--work DIR] [--repeat R]</c> (issue #14): on the scan-filter bench's table (ingested once
/// into <c>DIR/wh-N</c>), times in one process <c>ScanService.Aggregate</c> against DuckDB computing the same over the
/// same data files at 1 and 2 DuckDB threads: full-scan sum/avg, count and min/max that statistics answer (and the
/// same decoded, statistics off), filtered sums and counts. Reports the first (cold) run and the best of R, plus CPU
/// seconds per run; fails unless every value agrees (doubles within 1e-9 relative).
/// </summary>
internal static class ScanAggregateBench
{
    private const string TableName = "bench.events";

    private static readonly (string Name, string Aggregates, string Filter, string Sql, bool Statistics)[] Cases =
    {
        ("full scan sum(amount)", "sum(amount)", "", "sum(amount)", true),
        ("full scan sum, avg, min, max of amount", "sum(amount),avg(amount),min(amount),max(amount)", "", "sum(amount), avg(amount), min(amount), max(amount)", true),
        ("count(*), min/max(event_time), min(entity_id) (statistics)", "count(*),min(event_time),max(event_time),min(entity_id)", "", "count(*), epoch_us(min(event_time)), epoch_us(max(event_time)), min(entity_id)", true),
        ("same, statistics off (decoded)", "count(*),min(event_time),max(event_time),min(entity_id)", "", "count(*), epoch_us(min(event_time)), epoch_us(max(event_time)), min(entity_id)", false),
        ("count(*), sum(amount) where amount > 100", "count(*),sum(amount)", "amount > 100", "count(*), sum(amount)", true),
        ("sum(amount) where event_time in one week (files proven)", "sum(amount),count(amount)", "event_time >= '2024-01-08T00:00:00Z' and event_time < '2024-01-15T00:00:00Z'", "sum(amount), count(amount)", true),
    };

    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var rows = a.GetLong("rows", 10_000_000);
        var repeat = (int)a.GetLong("repeat", 5);
        // --only SUBSTRING runs the cases whose name contains it; --no-duckdb times Floe alone (for profiling).
        var only = a.Get("only", "");
        var noDuck = a.Get("no-duckdb", "false") == "true";
        var work = Path.GetFullPath(a.Get("work", Path.Combine(Path.GetTempPath(), "floe-bench-scan")));
        Directory.CreateDirectory(work);
        var warehouseDir = Path.Combine(work, $"wh-{rows}");
        var warehouse = new Warehouse(warehouseDir);
        if (!Directory.Exists(Path.Combine(warehouseDir, "bench")))
        {
            var csv = Path.Combine(work, $"events-{rows}.csv");
            if (!File.Exists(csv)) new EventGenerator { Rows = rows, Days = 30 }.WriteCsv(csv);
            new TableService(warehouse).Create(TableName, EventGenerator.Schema, "day(event_time)");
            new IngestService(warehouse).Ingest(TableName, csv, new IngestOptions());
        }
        var glob = $"read_parquet('{Path.Combine(warehouseDir, "bench")}/**/*.parquet')";
        var service = new ScanService(warehouse);
        Console.WriteLine($"rows {rows:N0}, best of {repeat}; Floe on {Environment.ProcessorCount} thread(s) (DOTNET_PROCESSOR_COUNT); load {Load()}");
        Console.WriteLine("| work | Floe first (s) | Floe best (s) | Floe CPU/run (s) | DuckDB 1 thr (s) | DuckDB 2 thr (s) | ratio 1 / 2 thr |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var ok = true;
        using var one = Open(1);
        using var two = Open(2);
        foreach (var (name, aggregates, filter, sql, statistics) in Cases)
        {
            if (!name.Contains(only, StringComparison.Ordinal)) continue;
            var calls = AggregateList.Parse(aggregates);
            var request = new ScanRequest { Filter = filter.Length == 0 ? null : filter };
            AggregateResult? result = null;
            var sw = Stopwatch.StartNew();
            result = service.Aggregate(TableName, request, calls, statistics);
            var first = sw.Elapsed.TotalSeconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var best = Best(repeat, () => result = service.Aggregate(TableName, request, calls, statistics));
            var cpuPerRun = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / repeat;
            var query = $"SELECT {sql} FROM {glob}" + (filter.Length == 0 ? "" : $" WHERE {filter}");
            object?[] duck = Array.Empty<object?>();
            var d1 = noDuck ? double.NaN : Best(repeat, () => duck = Row(one, query));
            var d2 = noDuck ? double.NaN : Best(repeat, () => duck = Row(two, query));
            for (var i = 0; i < (noDuck ? 0 : calls.Count); i++)
            {
                var f = result!.Values[i].Value;
                var e = duck[i];
                var same = f is double x ? Math.Abs(x - Convert.ToDouble(e, CultureInfo.InvariantCulture)) <= 1e-9 * Math.Max(1, Math.Abs(x))
                    : Convert.ToInt64(f, CultureInfo.InvariantCulture) == Convert.ToInt64(e, CultureInfo.InvariantCulture);
                if (!same)
                {
                    Console.Error.WriteLine($"MISMATCH {name}: {calls[i]} Floe {f}, DuckDB {e}");
                    ok = false;
                }
            }
            var how = $"{result!.Aggregates.FilesFromStatistics} files + {result.Aggregates.RowGroupsFromStatistics} row groups from statistics, {result.Aggregates.RowGroupsDecoded} row groups decoded";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} ({how}) | {first:F3} | {best:F3} | {cpuPerRun:F3} | {d1:F3} | {d2:F3} | {best / d1:F2} / {best / d2:F2} |"));
        }
        return ok ? 0 : 1;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static DuckDBConnection Open(int threads)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET threads = {threads}";
        command.ExecuteNonQuery();
        return connection;
    }

    private static object?[] Row(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        return values;
    }

    private static double Best(int repeat, Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }
}
