using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using DuckDB.NET.Data;
using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Application.Tables;
using Floe.Benchmarks.E2E.Ingest;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;

namespace Floe.Benchmarks.E2E.Scan;

/// <summary>
/// <c>scan-filter [--rows N] [--work DIR] [--repeat R]</c> (issue #14): ingests N generated events once into a
/// day-partitioned Floe table, then times in one process, best of R runs each, Floe's filtered count
/// (<c>ScanService.Count</c>, and the row-at-a-time path it replaced: <c>ReadBatches</c> + count) and full-scan
/// sum(amount) against DuckDB's <c>count(*) where amount &gt; 100</c> and <c>sum(amount)</c> over the same data files,
/// at 1 and 2 DuckDB threads. Fails unless counts and sums agree.
/// </summary>
internal static class ScanFilterBench
{
    private const string TableName = "bench.events";

    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var rows = a.GetLong("rows", 10_000_000);
        var repeat = (int)a.GetLong("repeat", 5);
        var filter = a.Get("filter", "amount > 100");
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
        var table = warehouse.LoadTable(TableIdentifier.Parse(TableName));
        var glob = $"read_parquet('{Path.Combine(warehouseDir, "bench")}/**/*.parquet')";
        var service = new ScanService(warehouse);

        var floeCount = Best(repeat, () => service.Count(TableName, new ScanRequest { Filter = filter }).Rows, out var countRows);
        var oldCount = Best(repeat, () =>
        {
            var scan = new TableScan(table);
            scan = scan.Filter(ExpressionParser.Parse(filter, scan.TableSchema));
            long n = 0;
            foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks)) n += batch.Length;
            return n;
        }, out var oldRows);
        double sum = 0;
        var floeSum = Best(repeat, () =>
        {
            var scan = new TableScan(table).Select(new[] { "amount" });
            double s = 0;
            long n = 0;
            foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
            {
                var values = ((DoubleArray)batch.Column(0)).Values;
                for (var i = 0; i < values.Length; i++) s += values[i];
                n += batch.Length;
            }
            sum = s;
            return n;
        }, out var sumRows);

        Console.WriteLine($"rows {rows:N0}, filter `{filter}`, best of {repeat}; data files: {Directory.EnumerateFiles(Path.Combine(warehouseDir, "bench"), "*.parquet", SearchOption.AllDirectories).Count()}");
        Console.WriteLine("| work | threads | Floe (s) | DuckDB (s) | ratio |");
        Console.WriteLine("|---|---|---|---|---|");
        var ok = true;
        foreach (var threads in new[] { 1, 2 })
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            Scalar(connection, $"SET threads = {threads}");
            var duckCount = Best(repeat, () => Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM {glob} WHERE {filter}"), CultureInfo.InvariantCulture), out var duckRows);
            double duckSumValue = 0;
            var duckSum = Best(repeat, () => { duckSumValue = Convert.ToDouble(Scalar(connection, $"SELECT sum(amount) FROM {glob}"), CultureInfo.InvariantCulture); return 0; }, out _);
            ok &= duckRows == countRows && duckRows == oldRows && Math.Abs(duckSumValue - sum) <= 1e-6 * Math.Abs(sum) && sumRows == rows;
            Row($"count where {filter} (ScanService.Count)", threads, floeCount, duckCount);
            Row($"count where {filter} (ReadBatches + row filter, before)", threads, oldCount, duckCount);
            Row("full scan, sum(amount)", threads, floeSum, duckSum);
        }
        Console.WriteLine($"matching rows {countRows:N0}; Floe count and full scan on {Environment.ProcessorCount} thread(s) (DOTNET_PROCESSOR_COUNT)");
        if (!ok) Console.Error.WriteLine($"MISMATCH: floe count {countRows}, old {oldRows}, sum {sum}, rows {sumRows}");
        return ok ? 0 : 1;
    }

    private static void Row(string work, int threads, double floe, double duck) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {work} | {threads} | {floe:F3} | {duck:F3} | {floe / duck:F2} |"));

    private static double Best(int repeat, Func<long> action, out long result)
    {
        var best = double.MaxValue;
        result = 0;
        for (var i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            result = action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
