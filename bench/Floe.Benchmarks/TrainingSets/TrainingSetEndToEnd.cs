using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using DuckDB.NET.Data;
using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Application.TrainingSets;
using Floe.Formats.Output;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;

namespace Floe.Benchmarks.TrainingSets;

/// <summary>
/// A point-in-time training set, Floe against DuckDB's <c>ASOF LEFT JOIN</c> in the same run on the same data: a
/// feature table of N rows (entity_id, ts, 4 features; day-partitioned over 30 days, written once under --dir and
/// reused) and a spine of M rows (entity_id, ts, label) as Parquet; both write Parquet.
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- training-set [--features N] [--spine M] [--entities E] [--days D] [--dir PATH] [--skip-duckdb]</c>
/// </summary>
internal static class TrainingSetEndToEnd
{
    public static int Run(string[] args)
    {
        long features = 10_000_000;
        int spineRows = 1_000_000, entities = 100_000, days = 30;
        var dir = Path.Combine(Path.GetTempPath(), "floe-bench-training-set");
        var skipDuck = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--features": features = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--spine": spineRows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--entities": entities = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--days": days = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": dir = args[++i]; break;
                case "--skip-duckdb": skipDuck = true; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        var data = Path.Combine(dir, $"ts-{features}-{spineRows}-{entities}-{days}");
        var warehouse = new Warehouse(Path.Combine(data, "warehouse"));
        var spine = Path.Combine(data, "spine.parquet");
        if (!File.Exists(spine))
        {
            var sw = Stopwatch.StartNew();
            Generate(warehouse, spine, features, spineRows, entities, days);
            Console.WriteLine($"generated {features:N0} feature rows and a {spineRows:N0}-row spine in {sw.Elapsed.TotalSeconds:F1} s: {data}");
        }

        var floeOut = Path.Combine(data, "floe-out.parquet");
        var service = new TrainingSetService(warehouse);
        var request = new TrainingSetRequest { SpinePath = spine, Features = [FeatureSelection.Parse("features.bench")], OutputPath = floeOut };
        GC.Collect();
        var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = service.Build(request);
        var floeSeconds = watch.Elapsed.TotalSeconds;
        proc.Refresh();
        var floeCpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"floe:   {floeSeconds,8:F2} s wall, {floeCpu:F2} s cpu, {result.Groups[0].Matched:N0} of {result.Rows:N0} rows matched, "
            + $"{result.Groups[0].FeatureRowsRead:N0} feature rows kept, peak working set {proc.PeakWorkingSet64 / 1048576.0:F0} MiB");
        if (skipDuck) return 0;

        var duckOut = Path.Combine(data, "duck-out.parquet");
        using var conn = new DuckDBConnection("Data Source=:memory:");
        conn.Open();
        var glob = Path.Combine(warehouse.Directory, "**", "*.parquet");
        proc.Refresh();
        cpu0 = proc.TotalProcessorTime;
        watch.Restart();
        Exec(conn, $"""
            COPY (SELECT s.entity_id, s.ts, s.label, f.f1, f.f2, f.f3, f.f4
                  FROM read_parquet('{spine}') s
                  ASOF LEFT JOIN read_parquet('{glob}') f ON s.entity_id = f.entity_id AND s.ts >= f.ts)
            TO '{duckOut}' (FORMAT parquet)
            """);
        var duckSeconds = watch.Elapsed.TotalSeconds;
        proc.Refresh();
        var duckCpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine($"duckdb: {duckSeconds,8:F2} s wall, {duckCpu:F2} s cpu (ASOF LEFT JOIN, not in spine order)");
        Console.WriteLine($"speed-up (DuckDB / Floe): {duckSeconds / floeSeconds:F2}x wall, {duckCpu / floeCpu:F2}x cpu");
        using var check = conn.CreateCommand();
        check.CommandText = $"""
            SELECT count(*) FROM (
              SELECT entity_id, ts, label, f1, f2, f3, f4 FROM read_parquet('{floeOut}')
              EXCEPT ALL
              SELECT entity_id, ts, label, f1, f2, f3, f4 FROM read_parquet('{duckOut}'))
            """;
        var differing = Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture);
        Console.WriteLine($"rows of Floe's output missing from DuckDB's: {differing:N0}");
        return differing == 0 ? 0 : 1;
    }

    private static void Exec(DuckDBConnection conn, string sql)
    {
        using var command = conn.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Feature rows at distinct whole seconds per entity (so DuckDB's tie choice cannot differ), spine times random.</summary>
    private static void Generate(Warehouse warehouse, string spine, long features, int spineRows, int entities, int days)
    {
        var tables = new TableService(warehouse);
        tables.Create("features.bench", "entity_id:long,ts:timestamptz,f1:double,f2:double,f3:double,f4:long", "day(ts)");
        var table = tables.Load("features.bench");
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        var span = days * 86_400L;
        var random = new Random(42);
        var schema = ArrowSchemas.ToArrow(table.Schema);
        IEnumerable<RecordBatch> Batches()
        {
            const int BatchRows = 1 << 20;
            // One time stream per batch, increasing, so (entity, ts) pairs never repeat: second k of the range goes to one row.
            var perSecond = Math.Max(1, features / span + 1);
            for (long done = 0; done < features; done += BatchRows)
            {
                var n = (int)Math.Min(BatchRows, features - done);
                var e = new long[n];
                var t = new long[n];
                var f1 = new double[n];
                var f2 = new double[n];
                var f3 = new double[n];
                var f4 = new long[n];
                for (var i = 0; i < n; i++)
                {
                    var row = done + i;
                    e[i] = random.Next(entities);
                    // Row r sits at second r / perSecond; its sub-second slot makes (entity, ts) unique.
                    t[i] = start + row / perSecond * 1_000_000 + row % perSecond;
                    f1[i] = random.NextDouble();
                    f2[i] = random.NextDouble() * 100;
                    f3[i] = random.Next(1000);
                    f4[i] = random.Next();
                }
                yield return new RecordBatch(schema, [Longs(e), Longs(t, schema.FieldsList[1].DataType), Doubles(f1), Doubles(f2), Doubles(f3), Longs(f4)], n);
            }
        }
        IngestService.Ingest(table, Batches(), new IngestOptions());

        var spineSchema = Floe.Application.Tables.SchemaText.Parse("entity_id:long,ts:timestamptz,label:long");
        var spineArrow = ArrowSchemas.ToArrow(spineSchema);
        var se = new long[spineRows];
        var st = new long[spineRows];
        var sl = new long[spineRows];
        for (var i = 0; i < spineRows; i++)
        {
            se[i] = random.Next(entities + entities / 10);
            st[i] = start + (long)(random.NextDouble() * (span + 86_400) * 1_000_000);
            sl[i] = random.Next(2);
        }
        using var sink = new ParquetSink(spine);
        sink.Begin(spineSchema);
        sink.Write(new RecordBatch(spineArrow, [Longs(se), Longs(st, spineArrow.FieldsList[1].DataType), Longs(sl)], spineRows));
        sink.Complete();
    }

    private static IArrowArray Longs(long[] values, Apache.Arrow.Types.IArrowType? type = null) =>
        ArrowArrayFactory.BuildArray(new ArrayData(type ?? Apache.Arrow.Types.Int64Type.Default, values.Length, 0, 0,
            [ArrowBuffer.Empty, new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray())]));

    private static IArrowArray Doubles(double[] values) =>
        new DoubleArray(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ArrowBuffer.Empty, values.Length, 0, 0);
}
