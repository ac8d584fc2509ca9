using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Floe.Application.Backfill;
using Floe.Benchmarks.Features;
using Floe.Iceberg.Catalog;

namespace Floe.Benchmarks.Backfill;

/// <summary>
/// A backfill end to end, Floe against DuckDB in the same run on the same events: Floe reads the day-partitioned
/// events table, computes the 12 windowed features (count/sum/mean/max over 1h/1d/7d) day by day and commits them into
/// the Iceberg feature table as one dynamic partition overwrite; DuckDB computes the same features with window
/// functions over the same events (Parquet) and writes them with <c>COPY … (PARTITION_BY (day))</c>. Then the two
/// outputs are compared row by row.
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- backfill [--rows N] [--entities N] [--days N] [--threads N] [--dir PATH] [--skip-duckdb]</c>
/// </summary>
internal static class BackfillEndToEnd
{
    public static int Run(string[] args)
    {
        long rows = 10_000_000;
        int entities = 100_000, days = 30, threads = Environment.ProcessorCount;
        string dir = Path.Combine(Path.GetTempPath(), "floe-bench-features");
        bool skipDuck = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--entities": entities = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--days": days = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": dir = args[++i]; break;
                case "--skip-duckdb": skipDuck = true; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        Directory.CreateDirectory(dir);
        string input = Path.Combine(dir, $"events-{rows}-{entities}-{days}.parquet");
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        if (!File.Exists(input)) FeaturesEndToEnd.Generate(input, rows, entities, days, start).GetAwaiter().GetResult();
        var warehouse = FeaturesEndToEnd.OpenEventsTable(dir, input, rows, entities, days);
        var output = TableIdentifier.Parse("features.bench");
        if (warehouse.Catalog.TableExists(output)) warehouse.DropTable(output, purge: true);
        var definition = Path.Combine(dir, "bench-backfill.json");
        File.WriteAllText(definition, FeaturesEndToEnd.DefinitionJson()
            .Replace("\"features\":", $"\"source\": {{\"table\": \"{FeaturesEndToEnd.EventsTable}\"}}, \"output\": {{\"table\": \"features.bench\"}}, \"features\":", StringComparison.Ordinal));

        GC.Collect();
        FeaturesEndToEnd.ResetPeakWorkingSet();
        var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = new BackfillService(warehouse).Run(new BackfillRequest
        {
            DefinitionPath = definition,
            From = start,
            To = start.AddDays(days),
            CodeVersion = "bench",
            Resume = false,
        });
        double floeSeconds = watch.Elapsed.TotalSeconds;
        proc.Refresh();
        double floeCpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"floe backfill: {floeSeconds,8:F2} s wall, {floeCpu:F2} s cpu  rows {result.Rows:N0} in {result.Files} files over {result.Days} days, snapshot {result.SnapshotId}  {result.Rows / floeSeconds / 1e6:F2} M rows/s  peak working set {proc.PeakWorkingSet64 / 1048576.0:F0} MiB  threads {threads}");
        if (skipDuck) return 0;

        GC.Collect();
        FeaturesEndToEnd.ResetPeakWorkingSet();
        string duckOut = Path.Combine(dir, "duck-backfill");
        if (Directory.Exists(duckOut)) Directory.Delete(duckOut, recursive: true);
        using var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        FeaturesEndToEnd.Exec(conn, $"SET threads = {threads}");
        proc.Refresh();
        var cpu1 = proc.TotalProcessorTime;
        var duckWatch = Stopwatch.StartNew();
        FeaturesEndToEnd.Exec(conn, $"COPY (SELECT *, CAST(event_time AS DATE) AS day FROM ({FeaturesEndToEnd.DuckSql(input)})) TO '{duckOut}' (FORMAT PARQUET, PARTITION_BY (day))");
        double duckSeconds = duckWatch.Elapsed.TotalSeconds;
        proc.Refresh();
        double duckCpu = (proc.TotalProcessorTime - cpu1).TotalSeconds;
        Console.WriteLine($"duckdb COPY PARTITION_BY: {duckSeconds,8:F2} s wall, {duckCpu:F2} s cpu  peak working set since reset {proc.PeakWorkingSet64 / 1048576.0:F0} MiB (Floe's heap included)");
        Console.WriteLine($"speed-up (DuckDB / Floe): {duckSeconds / floeSeconds:F2}x wall, {duckCpu / floeCpu:F2}x cpu");

        // Same rows: the feature table's data files against DuckDB's partitions.
        var table = warehouse.LoadTable(output);
        string floeGlob = Path.Combine(new Uri(table.Metadata.Location).LocalPath, "data", "**", "*.parquet");
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"""
            WITH f AS (SELECT DISTINCT entity_id, event_time, cnt_1h, sum_7d, max_1d FROM read_parquet('{floeGlob}')),
                 d AS (SELECT DISTINCT entity_id, event_time, cnt_1h, sum_7d, max_1d FROM read_parquet('{duckOut}/**/*.parquet'))
            SELECT count(*), count(*) FILTER (WHERE f.entity_id IS NULL OR d.entity_id IS NULL OR f.cnt_1h <> d.cnt_1h
                   OR abs(f.sum_7d - d.sum_7d) > 1e-9 * greatest(1, abs(d.sum_7d)) OR f.max_1d <> d.max_1d)
            FROM f FULL OUTER JOIN d ON f.entity_id = d.entity_id AND f.event_time = d.event_time
            """;
        using var reader = cmd.ExecuteReader();
        reader.Read();
        Console.WriteLine($"compared {reader.GetInt64(0):N0} distinct (entity, time) rows: {reader.GetInt64(1):N0} mismatches");
        return reader.GetInt64(1) == 0 ? 0 : 1;
    }
}
