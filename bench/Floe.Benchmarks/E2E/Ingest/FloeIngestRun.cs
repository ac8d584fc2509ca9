using Apache.Arrow;
using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Application.Tables;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;

namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// <c>ingest-floe --input FILE --work DIR --day yyyy-MM-dd</c>: one Floe side of the ingest bench in its own
/// process. Creates a table partitioned by day(event_time) in a fresh warehouse, ingests the CSV or Parquet file
/// through <see cref="IngestService"/>, then runs a full scan and a one-day scan (both summing amount) and a
/// metadata count, printing RESULT lines.
/// </summary>
internal static class FloeIngestRun
{
    public const string TableName = "bench.events";

    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var input = Path.GetFullPath(a.Require("input"));
        var work = Path.GetFullPath(a.Require("work"));
        var day = DateOnly.Parse(a.Require("day"), System.Globalization.CultureInfo.InvariantCulture);
        BenchFiles.Fresh(work);
        var warehouse = new Warehouse(work);
        new TableService(warehouse).Create(TableName, EventGenerator.Schema, "day(event_time)");

        var m = new Measurement();
        var sampler = new MemorySampler();
        var sw = StageTimer.Start();
        var result = new IngestService(warehouse).Ingest(TableName, input, new IngestOptions());
        sw.Lap(m, "ingest");
        sampler.Dispose();
        sampler.Report(m);
        m["rows_written"] = result.RowsWritten;
        m["files"] = result.FilesWritten;
        m["data_bytes"] = BenchFiles.SizeOf(Path.Combine(work, "bench"), ".parquet");

        var table = warehouse.LoadTable(TableIdentifier.Parse(TableName));
        sw.Restart();
        var (fullRows, fullSum) = SumAmount(new TableScan(table).Select(new[] { "amount" }));
        sw.Lap(m, "full_scan");
        m["full_rows"] = fullRows;
        m["full_sum"] = fullSum;

        var from = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = day.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        sw.Restart();
        var dayScan = new TableScan(table);
        dayScan = dayScan.Filter(ExpressionParser.Parse($"event_time >= '{from}T00:00:00Z' and event_time < '{to}T00:00:00Z'", dayScan.TableSchema))
            .Select(new[] { "amount" });
        var (dayRows, daySum) = SumAmount(dayScan);
        sw.Lap(m, "day_scan");
        m["day_rows"] = dayRows;
        m["day_sum"] = daySum;

        sw.Restart();
        var count = new ScanService(warehouse).Count(TableName, new ScanRequest());
        sw.Lap(m, "count");
        m["count_rows"] = count.Rows;
        m["peak_mib"] = BenchFiles.PeakMiB();
        m.Print();
        return 0;
    }

    private static (long Rows, double Sum) SumAmount(TableScan scan)
    {
        var (tasks, _) = scan.PlanFiles();
        long rows = 0;
        double sum = 0;
        foreach (var batch in scan.ReadBatches(tasks))
        {
            var amounts = (DoubleArray)batch.Column(0);
            rows += batch.Length;
            var values = amounts.Values;
            if (amounts.NullCount == 0)
            {
                for (var i = 0; i < values.Length; i++) sum += values[i];
            }
            else
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (amounts.IsValid(i)) sum += values[i];
                }
            }
        }
        return (rows, sum);
    }
}
