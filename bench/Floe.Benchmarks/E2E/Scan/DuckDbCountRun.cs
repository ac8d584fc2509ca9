using System.Globalization;
using DuckDB.NET.Data;
using Floe.Benchmarks.E2E.Ingest;

namespace Floe.Benchmarks.E2E.Scan;

/// <summary>
/// <c>scan-count-duckdb --dir DIR [--filter F] [--threads N]</c>: one DuckDB.NET count over a table's data files,
/// printed alone, so a script can time it as a whole process beside <c>floe scan T --filter F --count</c>.
/// </summary>
internal static class DuckDbCountRun
{
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var dir = Path.GetFullPath(a.Get("dir", "."));
        var filter = a.Get("filter", "amount > 100");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET threads = {a.GetLong("threads", Environment.ProcessorCount)}";
        command.ExecuteNonQuery();
        command.CommandText = $"SELECT count(*) FROM read_parquet('{dir}/**/*.parquet') WHERE {filter}";
        Console.WriteLine(Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
