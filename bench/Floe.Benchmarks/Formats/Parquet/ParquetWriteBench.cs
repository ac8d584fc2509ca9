using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Benchmarks.Formats.Parquet;

/// <summary>
/// Write speed and file size of Floe's Parquet writer on a batch shaped like the feature engine's output:
/// sorted entity ids (~10 rows each), microsecond event times, small counts, random 2-decimal sums, random means
/// and a max column with few distinct values.
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- parquet-write [--rows N] [--reps N] [--dict-bytes N] [--only COLUMN] [--input FILE] [--batch ROWS] [--row-group ROWS]</c>
/// (<c>--input</c> rewrites the first row group of an existing file; <c>--batch</c> hands it to the writer in slices);
/// <c>parquet-write --inspect FILE</c> prints an existing file's compressed bytes and encodings per column.
/// <c>--per-column</c> writes each column alone on one thread and prints CPU, bytes and allocations per column and
/// variant; <c>--spread</c> takes <c>--input</c>'s row groups evenly from the whole file.
/// <c>--variants snappy,zstd1+delta+bss,...</c> picks the writer settings compared: a codec (snappy, zstd = zstd3,
/// zstdN, none), then any of <c>delta</c> (DELTA_BINARY_PACKED integers), <c>bss</c> (BYTE_STREAM_SPLIT floats),
/// <c>dictN</c> (dictionary bytes; dict0 = no dictionary), <c>splitN</c> (BYTE_STREAM_SPLIT by trial, kept when at most N% larger), <c>fastN</c> (zstd's fast level by trial, kept when at most N% larger)
/// and <c>fastlevelN</c> (that level, default −1). <c>--input</c> loads every row group (up to <c>--rows</c>).
/// </summary>
internal static class ParquetWriteBench
{
    private static readonly string[] Names =
        ["entity_id", "event_time", "cnt_1h", "cnt_1d", "cnt_7d", "sum_1d", "mean_1d", "max_7d"];

    public static int Run(string[] args)
    {
        var rows = 1_000_000;
        var reps = 5;
        var dictBytes = new ParquetWriterOptions().DictionaryPageBytes;
        string? only = null;
        string? input = null;
        var batchRows = int.MaxValue;
        var rowGroupRows = new ParquetWriterOptions().RowGroupRows;
        var variants = new[] { "snappy", "zstd" };
        var rowsGiven = false;
        var perColumn = false;
        var spread = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = int.Parse(args[++i], CultureInfo.InvariantCulture); rowsGiven = true; break;
                case "--variants": variants = args[++i].Split(','); break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dict-bytes": dictBytes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i]; break;
                case "--per-column": perColumn = true; break;
                case "--spread": spread = true; break;
                case "--inspect": PrintColumnSizes(args[++i]); return 0;
                case "--input": input = args[++i]; break;
                case "--row-group": rowGroupRows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batchRows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        var fields = new List<NestedField>();
        for (var c = 0; c < Names.Length; c++)
        {
            fields.Add(new NestedField(c + 1, Names[c], false, c < 5 ? PrimitiveType.Long : PrimitiveType.Double));
        }
        var schema = new Schema(0, fields);
        using var full = input is null ? Build(schema, rows) : Load(input, rowsGiven ? rows : int.MaxValue, spread, out schema);
        rows = full.Length;
        var batch = full;
        if (only is not null)
        {
            // One column alone (--only NAME) shows what each costs.
            var c = schema.Fields.ToList().FindIndex(f => f.Name == only);
            batch = new RecordBatch(ArrowSchemas.ToArrow(new Schema(0, [schema.Fields[c]])), [full.Column(c)], rows);
            schema = new Schema(0, [schema.Fields[c]]);
        }
        var dir = Path.Combine(Path.GetTempPath(), "floe-bench-pqwrite");
        Directory.CreateDirectory(dir);
        if (perColumn)
        {
            return PerColumn(batch, schema, variants, reps, batchRows, dir, new ParquetWriterOptions { DictionaryPageBytes = dictBytes, RowGroupRows = rowGroupRows });
        }
        foreach (var variant in variants)
        {
            var options = Variant(variant, new ParquetWriterOptions { DictionaryPageBytes = dictBytes, RowGroupRows = rowGroupRows });
            var codec = variant;
            var path = Path.Combine(dir, $"out-{variant}.parquet");
            var times = new List<double>();
            var cpus = new List<double>();
            long allocated = 0;
            var proc = Process.GetCurrentProcess();
            for (var r = 0; r < reps + 1; r++)
            {
                GC.Collect();
                proc.Refresh();
                var alloc0 = GC.GetTotalAllocatedBytes(true);
                var cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using (var writer = new ParquetDataWriter(new Floe.Core.Io.LocalFileIO(), path, schema, "{}", options))
                {
                    for (var from = 0; from < rows; from += batchRows) writer.Write(batch, from, Math.Min(batchRows, rows - from));
                    writer.Close();
                }
                sw.Stop();
                proc.Refresh();
                if (r == 0) continue; // warm-up
                times.Add(sw.Elapsed.TotalMilliseconds);
                allocated = GC.GetTotalAllocatedBytes(true) - alloc0;
                cpus.Add((proc.TotalProcessorTime - cpu0).TotalMilliseconds);
            }
            times.Sort();
            cpus.Sort();
            Console.WriteLine($"{codec,-24} rows {rows:N0}  median {times[times.Count / 2],7:F1} ms wall  {cpus[cpus.Count / 2],7:F1} ms cpu  (min {times[0]:F1} ms)  size {new FileInfo(path).Length:N0} bytes  allocated {allocated / 1e6:F1} MB");
            PrintColumnSizes(path);
        }
        return 0;
    }

    /// <summary>This thread's CPU milliseconds: steadier than wall time on a shared machine.</summary>
    private static double ThreadCpuMs() => (double)Floe.Features.Diagnostics.ThreadClock.Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>
    /// <c>--per-column</c>: each column written alone on this thread (MaxParallelism 1) under each variant; a table of
    /// this thread's CPU (best of the reps), managed bytes allocated and file bytes per column and variant.
    /// </summary>
    private static int PerColumn(RecordBatch full, Schema schema, string[] variants, int reps, int batchRows, string dir, ParquetWriterOptions baseOptions)
    {
        var rows = full.Length;
        var totalMs = new double[variants.Length];
        var totalBytes = new long[variants.Length];
        var totalAlloc = new long[variants.Length];
        Console.WriteLine($"{"column",-12}" + string.Concat(variants.Select(v => $" | {v,32}")));
        for (var c = 0; c < schema.Fields.Count; c++)
        {
            var one = new Schema(0, [schema.Fields[c]]);
            var batch = new RecordBatch(ArrowSchemas.ToArrow(one), [full.Column(c)], rows);
            Console.Write($"{schema.Fields[c].Name,-12}");
            for (var v = 0; v < variants.Length; v++)
            {
                var options = Variant(variants[v], baseOptions) with { MaxParallelism = 1 };
                var path = Path.Combine(dir, $"col-{v}.parquet");
                double best = double.MaxValue;
                long alloc = 0;
                for (var r = 0; r < reps + 1; r++)
                {
                    GC.Collect();
                    var a0 = GC.GetAllocatedBytesForCurrentThread();
                    var t0 = ThreadCpuMs();
                    using (var writer = new ParquetDataWriter(new Floe.Core.Io.LocalFileIO(), path, one, "{}", options))
                    {
                        for (var from = 0; from < rows; from += batchRows) writer.Write(batch, from, Math.Min(batchRows, rows - from));
                        writer.Close();
                    }
                    var ms = ThreadCpuMs() - t0;
                    if (r == 0) continue; // warm-up
                    best = Math.Min(best, ms);
                    alloc = GC.GetAllocatedBytesForCurrentThread() - a0;
                }
                var bytes = new FileInfo(path).Length;
                totalMs[v] += best;
                totalBytes[v] += bytes;
                totalAlloc[v] += alloc;
                Console.Write($" | {best,7:F1} ms {bytes / 1e6,8:F2} MB {alloc / 1e6,6:F1} MBa");
            }
            Console.WriteLine();
        }
        Console.WriteLine($"{"all",-12}" + string.Concat(Enumerable.Range(0, variants.Length).Select(v => $" | {totalMs[v],7:F1} ms {totalBytes[v] / 1e6,8:F2} MB {totalAlloc[v] / 1e6,6:F1} MBa")));
        return 0;
    }

    private static ParquetWriterOptions Variant(string variant, ParquetWriterOptions options)
    {
        foreach (var token in variant.Split('+'))
        {
            options = token switch
            {
                "snappy" => options with { Codec = ParquetCodec.Snappy },
                "none" => options with { Codec = ParquetCodec.Uncompressed },
                "zstd" => options with { Codec = ParquetCodec.Zstd, ZstdLevel = 3 },
                "delta" => options with { DeltaIntegers = true },
                "bss" => options with { ByteStreamSplitFloats = true },
                _ when token.StartsWith("zstd", StringComparison.Ordinal) => options with { Codec = ParquetCodec.Zstd, ZstdLevel = int.Parse(token[4..], CultureInfo.InvariantCulture) },
                _ when token.StartsWith("fastlevel", StringComparison.Ordinal) => options with { FastZstdLevel = int.Parse(token[9..], CultureInfo.InvariantCulture) },
                _ when token.StartsWith("fast", StringComparison.Ordinal) => options with { FastZstdSlack = int.Parse(token[4..], CultureInfo.InvariantCulture) / 100.0 },
                _ when token.StartsWith("split", StringComparison.Ordinal) => options with { ByteStreamSplitSlack = int.Parse(token[5..], CultureInfo.InvariantCulture) / 100.0 },
                _ when token.StartsWith("dict", StringComparison.Ordinal) => options with { DictionaryPageBytes = int.Parse(token[4..], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"variant token '{token}'"),
            };
        }
        return options;
    }

    private static void PrintColumnSizes(string path)
    {
        using var conn = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT path_in_schema, sum(total_compressed_size)::BIGINT, string_agg(DISTINCT encodings, ' | ') FROM parquet_metadata('{path}') GROUP BY 1 ORDER BY min(column_id)";
        var rows = new List<(string Name, long Bytes, string Encodings)>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read()) rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }
        foreach (var (name, bytes, encodings) in rows)
        {
            using var distinct = conn.CreateCommand();
            distinct.CommandText = $"SELECT count(DISTINCT \"{name}\") FROM read_parquet('{path}')";
            Console.WriteLine($"    {name,-11} {bytes,12:N0}  distinct {Convert.ToInt64(distinct.ExecuteScalar(), CultureInfo.InvariantCulture),10:N0}  {encodings}");
        }
    }

    /// <summary>An existing Parquet file (its row groups up to <paramref name="maxRows"/> rows) as one batch, e.g. the feature engine's output.</summary>
    private static RecordBatch Load(string path, int maxRows, bool spread, out Schema schema)
    {
        using var reader = ParquetDataReader.Open(new Floe.Core.Io.LocalFileIO(), path);
        schema = reader.FileSchema;
        var groups = new List<RecordBatch>();
        long total = 0;
        // --spread: row groups evenly from the whole file rather than its first ones.
        long fileRows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++) fileRows += reader.RowGroupRows(g);
        var stride = spread ? (int)Math.Max(1, fileRows / Math.Max(1, maxRows)) : 1;
        for (var g = 0; g < reader.RowGroupCount && total < maxRows; g += stride)
        {
            var b = reader.ReadRowGroup(g).Batch;
            groups.Add(b);
            total += b.Length;
        }
        if (groups.Count == 1) return groups[0];
        var columns = new IArrowArray[groups[0].ColumnCount];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = Apache.Arrow.ArrowArrayConcatenator.Concatenate(groups.Select(g => g.Column(c)).ToList());
        }
        return new RecordBatch(groups[0].Schema, columns, (int)total);
    }

    private static RecordBatch Build(Schema schema, int rows)
    {
        var random = new Random(42);
        var entity = new long[rows];
        var time = new long[rows];
        var c1 = new long[rows];
        var c2 = new long[rows];
        var c3 = new long[rows];
        var sum = new double[rows];
        var mean = new double[rows];
        var max = new double[rows];
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        for (var i = 0; i < rows; i++)
        {
            entity[i] = 1_000_000 + i / 10;
            time[i] = t0 + random.NextInt64(30L * 86_400_000_000L);
            c1[i] = 1 + random.Next(5);
            c2[i] = 1 + random.Next(50);
            c3[i] = 1 + random.Next(200);
            sum[i] = Math.Round(random.NextDouble() * 10_000, 2);
            mean[i] = random.NextDouble() * 500;
            max[i] = Math.Round(random.Next(40) * 12.5, 2);
        }
        var arrays = new IArrowArray[]
        {
            Longs(entity), Longs(time), Longs(c1), Longs(c2), Longs(c3), Doubles(sum), Doubles(mean), Doubles(max),
        };
        return new RecordBatch(ArrowSchemas.ToArrow(schema), arrays, rows);
    }

    private static Int64Array Longs(long[] values) =>
        new(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ArrowBuffer.Empty, values.Length, 0, 0);

    private static DoubleArray Doubles(double[] values) =>
        new(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()), ArrowBuffer.Empty, values.Length, 0, 0);
}
