using DuckDB.NET.Data;

namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// <c>ingest-duckdb --input FILE --work DIR --day yyyy-MM-dd</c>: the DuckDB side of the ingest bench in its own
/// process (2 threads). Writes the CSV or Parquet input as zstd Parquet partitioned by day (hive folders
/// <c>d=yyyy-MM-dd</c>), then a full scan and a one-day scan summing amount, and a count.
/// <c>ingest-duckdb --convert CSV --output PARQUET</c> writes the Parquet source file once.
/// </summary>
internal static class DuckDbIngestRun
{
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "SET threads = 2");
        Execute(connection, "SET preserve_insertion_order = false");
        if (a.Has("convert"))
        {
            var csv = Path.GetFullPath(a.Require("convert"));
            var output = Path.GetFullPath(a.Require("output"));
            Execute(connection, $"COPY (SELECT * FROM {Source(csv)}) TO '{output}' (FORMAT parquet, COMPRESSION zstd)");
            return 0;
        }
        var input = Path.GetFullPath(a.Require("input"));
        var work = Path.GetFullPath(a.Require("work"));
        var day = a.Require("day");
        BenchFiles.Fresh(work);
        var dir = Path.Combine(work, "events");

        var m = new Measurement();
        var sw = StageTimer.Start();
        Execute(connection,
            $"COPY (SELECT *, CAST(event_time AS DATE) AS d FROM {Source(input)}) TO '{dir}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (d))");
        sw.Lap(m, "ingest");
        m["files"] = BenchFiles.CountOf(dir, ".parquet");
        m["data_bytes"] = BenchFiles.SizeOf(dir, ".parquet");
        var glob = $"read_parquet('{dir}/**/*.parquet', hive_partitioning = true)";

        sw.Restart();
        var (fullRows, fullSum) = RowsAndSum(connection, $"SELECT count(*), sum(amount) FROM {glob}");
        sw.Lap(m, "full_scan");
        m["full_rows"] = fullRows;
        m["full_sum"] = fullSum;

        sw.Restart();
        var (dayRows, daySum) = RowsAndSum(connection, $"SELECT count(*), sum(amount) FROM {glob} WHERE d = DATE '{day}'");
        sw.Lap(m, "day_scan");
        m["day_rows"] = dayRows;
        m["day_sum"] = daySum;

        sw.Restart();
        var (countRows, _) = RowsAndSum(connection, $"SELECT count(*), 0.0 FROM {glob}");
        sw.Lap(m, "count");
        m["count_rows"] = countRows;
        m["rows_written"] = countRows;
        m["peak_mib"] = BenchFiles.PeakMiB();
        m.Print();
        return 0;
    }

    // Explicit column types: the same types Floe's table has (timestamps are UTC instants), no sniffing cost.
    private static string Source(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
        ? $"read_csv('{path}', header = true, columns = {{'entity_id': 'BIGINT', 'event_time': 'TIMESTAMPTZ', 'amount': 'DOUBLE', 'category': 'VARCHAR'}})"
        : $"read_parquet('{path}')";

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static (long Rows, double Sum) RowsAndSum(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        var rows = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var sum = reader.IsDBNull(1) ? 0 : Convert.ToDouble(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        return (rows, sum);
    }
}
