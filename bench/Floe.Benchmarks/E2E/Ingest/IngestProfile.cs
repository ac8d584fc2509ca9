using Apache.Arrow;
using Floe.Application.Demo;
using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;

namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// <c>ingest-profile --input FILE [--work DIR] [--codec zstd|snappy|none] [--level N]</c>: Floe's ingest cut into stages, each timed on its own over the
/// whole file: read/parse into Arrow batches, partition keying, counting sort + take, the full
/// <see cref="PartitionedWriter"/> (keying + take + Parquet encode/compress/write), and the commit.
/// Encode is reported as writer − keying − take.
/// </summary>
internal static class IngestProfile
{
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var input = Path.GetFullPath(a.Require("input"));
        var work = Path.GetFullPath(a.Get("work", Path.Combine(Path.GetTempPath(), "floe-bench-profile")));
        BenchFiles.Fresh(work);
        var warehouse = new Warehouse(work);
        var properties = new Dictionary<string, string>();
        if (a.Has("codec")) properties["write.parquet.compression-codec"] = a.Require("codec");
        if (a.Has("level")) properties["write.parquet.compression-level"] = a.Require("level");
        new TableService(warehouse).Create(FloeIngestRun.TableName, EventGenerator.Schema, "day(event_time)", properties);
        var table = warehouse.LoadTable(TableIdentifier.Parse(FloeIngestRun.TableName));
        var m = new Measurement();

        var t = StageTimer.Start();
        var batches = IngestService.ReadFile(input, table.Schema).ToList();
        t.Lap(m, "parse");

        var keyer = new PartitionKeyer(table.Metadata.DefaultSpec, table.Schema);
        var ordinals = new List<int[]>(batches.Count);
        foreach (var batch in batches)
        {
            var o = new int[batch.Length];
            keyer.Assign(batch, o);
            ordinals.Add(o);
        }
        t.Lap(m, "keying");

        for (var b = 0; b < batches.Count; b++) SortByPartition(batches[b], ordinals[b], keyer.Partitions.Count);
        t.Lap(m, "take");

        var writer = new PartitionedWriter(table);
        foreach (var batch in batches) writer.Write(batch);
        var files = writer.Complete();
        t.Lap(m, "writer");

        var append = new FastAppend(table);
        foreach (var f in files) append.AppendFile(f);
        append.Commit();
        t.Lap(m, "commit");
        writer.Dispose();

        m["encode_s"] = m["writer_s"] - m["keying_s"] - m["take_s"];
        m["encode_cpu_s"] = m["writer_cpu_s"] - m["keying_cpu_s"] - m["take_cpu_s"];
        m["data_bytes"] = BenchFiles.SizeOf(work, ".parquet");
        m["peak_mib"] = BenchFiles.PeakMiB();
        m.Print();
        foreach (var stage in new[] { "parse", "keying", "take", "encode", "writer", "commit" })
        {
            Console.Error.WriteLine($"{stage,-8} wall {m[stage + "_s"],7:F2}s  cpu {m[stage + "_cpu_s"],7:F2}s");
        }
        Console.Error.WriteLine($"data {m["data_bytes"] / 1048576.0:F1} MiB, peak {m["peak_mib"]:F0} MiB");
        return 0;
    }

    private static RecordBatch SortByPartition(RecordBatch batch, int[] ordinals, int partitions)
    {
        var counts = new int[partitions + 1];
        foreach (var o in ordinals) counts[o + 1]++;
        for (var p = 0; p < partitions; p++) counts[p + 1] += counts[p];
        var permutation = new int[ordinals.Length];
        for (var i = 0; i < ordinals.Length; i++) permutation[counts[ordinals[i]]++] = i;
        return ArrowTake.Take(batch, permutation);
    }
}
