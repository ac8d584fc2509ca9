using System.Diagnostics;
using System.Globalization;
using System.Text;
using Floe.Application.Demo;

namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// <c>ingest [--rows N] [--work DIR] [--day yyyy-MM-dd] [--sources csv,parquet]</c>: end-to-end ingest + scan,
/// Floe against DuckDB. Generates N synthetic events over 30 days as CSV (and once as Parquet through DuckDB),
/// then runs each engine on each source in a separate child process (so peak memory is per engine), checks that
/// row counts and sums agree, and prints a markdown table of times, ratios, sizes and peaks.
/// </summary>
internal static class IngestBench
{
    private const double SumTolerance = 1e-6;

    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var rows = a.GetLong("rows", 10_000_000);
        var work = Path.GetFullPath(a.Get("work", Path.Combine(Path.GetTempPath(), "floe-bench-ingest")));
        var day = a.Get("day", "2024-01-15");
        var sources = a.Get("sources", "csv,parquet").Split(',', StringSplitOptions.RemoveEmptyEntries);
        Directory.CreateDirectory(work);

        var csv = Path.Combine(work, $"events-{rows}.csv");
        if (!File.Exists(csv))
        {
            var sw = Stopwatch.StartNew();
            new EventGenerator { Rows = rows, Days = 30 }.WriteCsv(csv + ".tmp");
            File.Move(csv + ".tmp", csv, overwrite: true);
            Console.Error.WriteLine($"generated {csv} ({new FileInfo(csv).Length / 1048576.0:F0} MiB) in {sw.Elapsed.TotalSeconds:F1}s");
        }
        var parquet = Path.Combine(work, $"events-{rows}.parquet");
        if (sources.Contains("parquet") && !File.Exists(parquet))
        {
            Child("ingest-duckdb", "--convert", csv, "--output", parquet + ".tmp.parquet");
            File.Move(parquet + ".tmp.parquet", parquet, overwrite: true);
        }

        var ok = true;
        var report = new StringBuilder();
        var parquetSize = File.Exists(parquet) ? string.Create(CultureInfo.InvariantCulture, $", {new FileInfo(parquet).Length / 1048576.0:F0} MiB Parquet") : "";
        report.AppendLine(CultureInfo.InvariantCulture, $"rows: {rows:N0}, input: {new FileInfo(csv).Length / 1048576.0:F0} MiB CSV{parquetSize}");
        foreach (var source in sources)
        {
            var input = source == "csv" ? csv : parquet;
            var floe = Child("ingest-floe", "--input", input, "--work", Path.Combine(work, "floe-" + source), "--day", day);
            var duck = Child("ingest-duckdb", "--input", input, "--work", Path.Combine(work, "duckdb-" + source), "--day", day);
            ok &= Check(source, floe, duck, rows);
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"source: {source}");
            report.AppendLine();
            report.AppendLine("| step | Floe | DuckDB | Floe/DuckDB |");
            report.AppendLine("|---|---:|---:|---:|");
            Row(report, "ingest (s)", floe["ingest_s"], duck["ingest_s"], "F2");
            Row(report, "ingest CPU (s, all threads)", floe["ingest_cpu_s"], duck["ingest_cpu_s"], "F2");
            Row(report, "ingest (M rows/s)", rows / floe["ingest_s"] / 1e6, rows / duck["ingest_s"] / 1e6, "F2");
            Row(report, "full scan, sum(amount) (s)", floe["full_scan_s"], duck["full_scan_s"], "F3");
            Row(report, "full scan CPU (s)", floe["full_scan_cpu_s"], duck["full_scan_cpu_s"], "F3");
            Row(report, "one-day scan, sum(amount) (s)", floe["day_scan_s"], duck["day_scan_s"], "F3");
            Row(report, "count (s)", floe["count_s"], duck["count_s"], "F3");
            Row(report, "data files", floe["files"], duck["files"], "F0");
            Row(report, "data size (MiB)", floe["data_bytes"] / 1048576.0, duck["data_bytes"] / 1048576.0, "F1");
            Row(report, "peak working set (MiB)", floe["peak_mib"], duck["peak_mib"], "F0");
            report.AppendLine(CultureInfo.InvariantCulture,
                $"\nchecks: rows {floe["full_rows"]:F0} / {duck["full_rows"]:F0}, sum {floe["full_sum"]:R} / {duck["full_sum"]:R}, " +
                $"day rows {floe["day_rows"]:F0} / {duck["day_rows"]:F0}, count {floe["count_rows"]:F0} / {duck["count_rows"]:F0}");
        }
        Console.WriteLine(report.ToString());
        Console.WriteLine(ok ? "results agree" : "RESULTS DISAGREE");
        return ok ? 0 : 1;
    }

    private static void Row(StringBuilder report, string name, double floe, double duck, string format) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {floe.ToString(format, CultureInfo.InvariantCulture)} | {duck.ToString(format, CultureInfo.InvariantCulture)} | {(floe / duck).ToString("F2", CultureInfo.InvariantCulture)} |");

    private static bool Check(string source, Measurement floe, Measurement duck, long rows)
    {
        var ok = true;
        void Expect(bool condition, string what)
        {
            if (condition) return;
            Console.Error.WriteLine($"[{source}] MISMATCH: {what}");
            ok = false;
        }
        Expect(floe["rows_written"] == rows && floe["full_rows"] == rows && floe["count_rows"] == rows, $"Floe rows {floe["rows_written"]}/{floe["full_rows"]}/{floe["count_rows"]} != {rows}");
        Expect(duck["full_rows"] == rows && duck["count_rows"] == rows, $"DuckDB rows {duck["full_rows"]}/{duck["count_rows"]} != {rows}");
        Expect(floe["day_rows"] == duck["day_rows"], $"one-day rows {floe["day_rows"]} != {duck["day_rows"]}");
        Expect(Close(floe["full_sum"], duck["full_sum"]), $"sum {floe["full_sum"]} != {duck["full_sum"]}");
        Expect(Close(floe["day_sum"], duck["day_sum"]), $"one-day sum {floe["day_sum"]} != {duck["day_sum"]}");
        return ok;
    }

    private static bool Close(double x, double y) => Math.Abs(x - y) <= SumTolerance * Math.Max(Math.Abs(x), Math.Abs(y));

    /// <summary>Runs this bench binary with <paramref name="args"/> and returns its RESULT lines.</summary>
    private static Measurement Child(params string[] args)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var host = Environment.ProcessPath ?? "dotnet";
        info.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Floe.Benchmarks.dll"));
        }
        foreach (var arg in args) info.ArgumentList.Add(arg);
        Console.Error.WriteLine($"running {string.Join(' ', args)}");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start the bench child process");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.Write(output);
            throw new InvalidOperationException($"child '{string.Join(' ', args)}' exited with {process.ExitCode}");
        }
        return Measurement.Parse(output);
    }
}
