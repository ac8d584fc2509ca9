using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using DuckDB.NET.Data;
using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Benchmarks.E2E.Ingest;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Benchmarks.E2E.Delete;

/// <summary>
/// <c>delete [--rows N] [--filter EXPR] [--work DIR] [--repeat R]</c> (issue #15): ingests N generated events (30 days,
/// day-partitioned) into three Floe tables, copy-on-write (v2), merge-on-read with position delete files (v2) and
/// merge-on-read with deletion vectors (v3), and into a DuckDB database file; deletes the rows matching the filter
/// (default <c>entity_id = 0</c>, about 1% of the rows, spread over every file) once in each, and reports the delete's
/// time and bytes written, and the cost of a full scan (count and sum(amount)) before and after, best of R. Fails unless
/// every engine deletes the same rows and scans the same sum.
/// </summary>
internal static class DeleteBench
{
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var rows = a.GetLong("rows", 10_000_000);
        var repeat = (int)a.GetLong("repeat", 3);
        var filter = a.Get("filter", "entity_id = 0");
        var work = Path.GetFullPath(a.Get("work", Path.Combine(Path.GetTempPath(), "floe-bench-delete")));
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        Directory.CreateDirectory(work);
        var csv = Path.Combine(work, $"events-{rows}.csv");
        new EventGenerator { Rows = rows, Days = 30 }.WriteCsv(csv);
        var warehouse = new Warehouse(Path.Combine(work, "warehouse"));

        Console.WriteLine($"rows {rows:N0}, filter `{filter}`, scans best of {repeat}; {Environment.ProcessorCount} processor(s)");
        Console.WriteLine("| engine | delete (s) | rows deleted | files written | bytes written | scan before (s) | scan after (s) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var ok = true;
        long? deleted = null;
        double? sumAfter = null;
        foreach (var (name, version, mode) in new[] { ("cow", 2, "copy-on-write"), ("mor", 2, "merge-on-read"), ("dv", 3, "merge-on-read") })
        {
            var tableName = $"bench.events_{name}";
            new TableService(warehouse).Create(tableName, EventGenerator.Schema, "day(event_time)",
                new Dictionary<string, string> { [RowDeleteProperties.Mode] = mode });
            new IngestService(warehouse).Ingest(tableName, csv, new IngestOptions());
            var table = warehouse.LoadTable(TableIdentifier.Parse(tableName));
            if (version == 3) table = UpgradeToV3(warehouse, table);
            var before = Best(repeat, () => FloeScan(table), out var scanBefore);
            var tableDir = Path.Combine(work, "warehouse", "bench", $"events_{name}");
            var sizeBefore = DirectorySize(tableDir);
            var sw = Stopwatch.StartNew();
            var result = new DeleteRows(table, ExpressionParser.Parse(filter, table.Schema)).Execute();
            var deleteSeconds = sw.Elapsed.TotalSeconds;
            var grown = DirectorySize(tableDir) - sizeBefore;
            table = table.Refresh();
            var after = Best(repeat, () => FloeScan(table), out var scanAfter);
            ok &= scanBefore.Count == rows && scanAfter.Count == rows - result.DeletedRows;
            ok &= deleted is null || deleted == result.DeletedRows;
            ok &= sumAfter is null || Math.Abs(sumAfter.Value - scanAfter.Sum) <= 1e-6 * Math.Abs(scanAfter.Sum);
            deleted = result.DeletedRows;
            sumAfter = scanAfter.Sum;
            var written = result.Mode == RowDeleteMode.MergeOnRead ? $"{result.DeleteFiles} {(version == 3 ? "DVs in 1 Puffin" : "delete files")}" : $"{result.RewrittenFiles} data files";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Floe {mode} v{version} | {deleteSeconds:F2} | {result.DeletedRows:N0} | {written} | {result.BytesWritten:N0} ({grown:N0} with metadata) | {before:F3} | {after:F3} |"));
        }

        var dbPath = Path.Combine(work, "duck.db");
        using (var connection = new DuckDBConnection($"Data Source={dbPath}"))
        {
            connection.Open();
            Execute(connection, $"CREATE TABLE events AS SELECT * FROM read_csv('{csv}', header = true, columns = {{'entity_id': 'BIGINT', 'event_time': 'TIMESTAMPTZ', 'amount': 'DOUBLE', 'category': 'VARCHAR'}})");
            Execute(connection, "CHECKPOINT");
            var before = Best(repeat, () => DuckScan(connection), out var scanBefore);
            var sizeBefore = new FileInfo(dbPath).Length + WalLength(dbPath);
            var sw = Stopwatch.StartNew();
            var duckDeleted = Execute(connection, $"DELETE FROM events WHERE {filter}");
            var deleteSeconds = sw.Elapsed.TotalSeconds;
            var wal = new FileInfo(dbPath).Length + WalLength(dbPath) - sizeBefore;
            sw.Restart();
            Execute(connection, "CHECKPOINT");
            var checkpointSeconds = sw.Elapsed.TotalSeconds;
            var after = Best(repeat, () => DuckScan(connection), out var scanAfter);
            ok &= duckDeleted == deleted && scanBefore.Count == rows && Math.Abs(scanAfter.Sum - sumAfter!.Value) <= 1e-6 * Math.Abs(scanAfter.Sum);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| DuckDB (own table, file db) | {deleteSeconds:F2} (+{checkpointSeconds:F2} checkpoint) | {duckDeleted:N0} | WAL | {wal:N0} before checkpoint | {before:F3} | {after:F3} |"));
        }
        if (!ok) Console.Error.WriteLine("MISMATCH: the engines disagree on deleted rows or the scanned sum");
        Directory.Delete(work, recursive: true);
        return ok ? 0 : 1;
    }

    /// <summary>Rewrites a fresh table's metadata as format v3 (Floe does not create v3 tables yet).</summary>
    private static Table UpgradeToV3(Warehouse warehouse, Table table)
    {
        var v3 = table.Metadata with { FormatVersion = 3, NextRowId = 0 };
        var location = TableOperations.NewMetadataLocation(v3.Location, TableOperations.VersionOf(table.MetadataLocation) + 1);
        table.Io.WriteAtomic(location, TableMetadataParser.ToUtf8Json(v3));
        warehouse.Catalog.SwapMetadataLocation(table.Identifier, table.MetadataLocation, location);
        return warehouse.LoadTable(table.Identifier);
    }

    private static (long Count, double Sum) FloeScan(Table table)
    {
        var scan = new TableScan(table).Select(new[] { "amount" });
        double sum = 0;
        long n = 0;
        foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
        {
            var values = (DoubleArray)batch.Column(0);
            for (var i = 0; i < values.Length; i++) sum += values.GetValue(i) ?? 0;
            n += batch.Length;
        }
        return (n, sum);
    }

    private static (long Count, double Sum) DuckScan(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(amount), 0) FROM events";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    private static double Best<T>(int repeat, Func<T> action, out T result)
    {
        var best = double.MaxValue;
        result = default!;
        for (var i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            result = action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static long Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private static long WalLength(string dbPath) => File.Exists(dbPath + ".wal") ? new FileInfo(dbPath + ".wal").Length : 0;

    private static long DirectorySize(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;
}
