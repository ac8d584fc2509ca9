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
/// at 1 and 2 DuckDB threads. Fails unless counts and sums agree. <c>--table-property k=v[,k=v]</c> sets write properties
/// of the table when the work folder has none yet (e.g. <c>write.parquet.page-row-limit=10000</c>).
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
            // --table-property k=v[,k=v]: write properties of a fresh table (page sizes: write.parquet.page-row-limit, ...).
            var properties = a.Get("table-property", "");
            new TableService(warehouse).Create(TableName, EventGenerator.Schema, "day(event_time)",
                properties.Length == 0 ? null : TableService.ParseProperties(properties.Split(',')));
            var ingest = Stopwatch.StartNew();
            new IngestService(warehouse).Ingest(TableName, csv, new IngestOptions());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ingested {rows:N0} rows in {ingest.Elapsed.TotalSeconds:F2} s ({properties})"));
        }
        var table = warehouse.LoadTable(TableIdentifier.Parse(TableName));
        var glob = $"read_parquet('{Path.Combine(warehouseDir, "bench")}/**/*.parquet')";
        var service = new ScanService(warehouse);

        // --selective-only true: only the 4-column selective reads, Floe alone (for profiling them) unless --duckdb true.
        if (a.Get("selective-only", "false") == "true")
        {
            return SelectiveReads(table, glob, repeat, a.Get("select-filter", "amount > 200"), duckdb: a.Get("duckdb", "false") == "true") ? 0 : 1;
        }
        var floeCount = Best(repeat, () => service.Count(TableName, new ScanRequest { Filter = filter }).Rows, out var countRows);
        var decodedCount = Best(repeat, () =>
        {
            var scan = new TableScan(table).Filter(ExpressionParser.Parse(filter, table.Schema));
            scan.DictionaryCounts = false;
            return scan.CountRows(scan.PlanFiles().Tasks);
        }, out var decodedRows);
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
            ok &= duckRows == countRows && duckRows == oldRows && duckRows == decodedRows && Math.Abs(duckSumValue - sum) <= 1e-6 * Math.Abs(sum) && sumRows == rows;
            Row($"count where {filter} (ScanService.Count)", threads, floeCount, duckCount);
            Row($"count where {filter} (CountRows, values decoded: no dictionary predicate)", threads, decodedCount, duckCount);
            Row($"count where {filter} (ReadBatches + row filter, before)", threads, oldCount, duckCount);
            Row("full scan, sum(amount)", threads, floeSum, duckSum);
        }
        ok &= SelectiveReads(table, glob, repeat, a.Get("select-filter", "amount > 200"));
        ok &= SelectiveReads(table, glob, repeat, a.Get("select-filter2", "event_time >= '2024-01-15T06:00:00Z' and event_time < '2024-01-15T07:00:00Z'"));
        Console.WriteLine($"matching rows {countRows:N0}; Floe count and full scan on {Environment.ProcessorCount} thread(s) (DOTNET_PROCESSOR_COUNT)");
        if (!ok) Console.Error.WriteLine($"MISMATCH: floe count {countRows}, old {oldRows}, sum {sum}, rows {sumRows}");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// A selective filter whose rows are read with every column (late materialisation's case): Floe's
    /// <c>ReadBatches</c> with and without late materialisation, folding count, sum(amount), sum(entity_id),
    /// sum(event_time in microseconds modulo 1,000,003: no overflow) and sum(length(category)) over the batches, against DuckDB computing the same over
    /// the same files. Every column read is used by both engines (DuckDB skips a column its query does not name: the
    /// query of earlier runs left event_time out, which DuckDB then never decompressed), and DuckDB's earlier query is
    /// timed beside it so the two series can be related.
    /// </summary>
    private static bool SelectiveReads(Floe.Iceberg.Tables.Table table, string glob, int repeat, string filter, bool duckdb = true)
    {
        (long Rows, double Amount, long Entity, long Chars, long Micros) result = default;
        // withTime false: the three columns DuckDB's earlier query read (no event_time), for the like-for-like row.
        double Floe(bool late, bool withTime = true)
        {
            var best = double.MaxValue;
            var names = withTime ? new[] { "entity_id", "event_time", "amount", "category" } : new[] { "entity_id", "amount", "category" };
            for (var i = 0; i < repeat; i++)
            {
                var sw = Stopwatch.StartNew();
                var scan = new TableScan(table).Select(names);
                scan = scan.Filter(ExpressionParser.Parse(filter, scan.TableSchema));
                scan.LateMaterialisation = late;
                (long Rows, double Amount, long Entity, long Chars, long Micros) r = default;
                foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
                {
                    var entities = (Int64Array)batch.Column("entity_id");
                    var times = withTime ? ((TimestampArray)batch.Column("event_time")).Values : default;
                    var amounts = (DoubleArray)batch.Column("amount");
                    var categories = (StringArray)batch.Column("category");
                    for (var k = 0; k < batch.Length; k++)
                    {
                        r.Entity += entities.GetValue(k) ?? 0;
                        if (withTime) r.Micros += times[k] % 1_000_003;
                        if (!amounts.IsNull(k)) r.Amount += amounts.Values[k];
                        if (!categories.IsNull(k)) r.Chars += categories.ValueOffsets[k + 1] - categories.ValueOffsets[k];
                    }
                    r.Rows += batch.Length;
                }
                result = r;
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            return best;
        }
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var late = Floe(true);
        var lateCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / repeat;
        var lateResult = result;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var plain = duckdb || Environment.GetEnvironmentVariable("FLOE_BENCH_LATE_ONLY") is null ? Floe(false) : double.NaN;
        var plainCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / repeat;
        var ok = double.IsNaN(plain) || lateResult == result;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var three = duckdb ? Floe(true, withTime: false) : double.NaN;
        var threeCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / repeat;
        var threeResult = result;
        result = lateResult;
        if (!duckdb)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read 4 columns where {filter}: late {late:F3} s (CPU {lateCpu:F3} s/run), whole row groups {plain:F3} s (CPU {plainCpu:F3} s/run), {result.Rows:N0} rows"));
            return ok;
        }
        foreach (var threads in new[] { 1, 2 })
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            Scalar(connection, $"SET threads = {threads}");
            (long Rows, double Amount, long Entity, long Chars, long Micros) duck = default;
            var duckTime = Best(repeat, () =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*), coalesce(sum(amount), 0), coalesce(sum(entity_id), 0)::BIGINT, coalesce(sum(length(category)), 0)::BIGINT, coalesce(sum(epoch_us(event_time) % 1000003), 0)::BIGINT FROM {glob} WHERE {filter}";
                using var reader = command.ExecuteReader();
                reader.Read();
                duck = (reader.GetInt64(0), reader.GetDouble(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture));
                return duck.Rows;
            }, out _);
            var duckWithoutTime = Best(repeat, () => Convert.ToInt64(Scalar(connection, $"SELECT count(*) + 0 * coalesce(sum(amount), 0) + 0 * coalesce(sum(entity_id), 0) + 0 * coalesce(sum(length(category)), 0) FROM {glob} WHERE {filter}"), CultureInfo.InvariantCulture), out _);
            ok &= duck.Rows == result.Rows && duck.Entity == result.Entity && duck.Chars == result.Chars && duck.Micros == result.Micros
                && Math.Abs(duck.Amount - result.Amount) <= 1e-6 * Math.Max(1, Math.Abs(result.Amount));
            Row($"read 4 columns where {filter}, late materialisation (CPU {lateCpu:F3} s/run)", threads, late, duckTime);
            Row($"read 4 columns where {filter}, whole row groups (CPU {plainCpu:F3} s/run)", threads, plain, duckTime);
            ok &= threeResult.Rows == result.Rows && threeResult.Entity == result.Entity && threeResult.Chars == result.Chars;
            Row($"read 3 columns (no event_time) where {filter}, late (CPU {threeCpu:F3} s/run), DuckDB the same 3", threads, three, duckWithoutTime);
        }
        Console.WriteLine($"`{filter}`: {result.Rows:N0} rows");
        if (!ok) Console.Error.WriteLine($"MISMATCH on `{filter}`: late {lateResult}, plain {result}");
        return ok;
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
