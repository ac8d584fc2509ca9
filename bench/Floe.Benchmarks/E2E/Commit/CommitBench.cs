using System.Diagnostics;
using System.Globalization;
using Floe.Benchmarks.E2E.Ingest;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Benchmarks.E2E.Commit;

/// <summary>
/// <c>commit [--snapshots 10,1000,10000] [--files 100000] [--days 365] [--commits 20] [--files-per-commit 10] [--keep]</c>:
/// commit latency (FastAppend, one-day DynamicPartitionOverwrite; warm table handle and cold load+commit) and
/// scan planning (one-day filter vs full) on a fresh table and on tables grown to each snapshot count, with the
/// manifests each commit reads/writes and each plan opens.
/// </summary>
internal static class CommitBench
{
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var sizes = a.Get("snapshots", "10,1000,10000").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToList();
        var files = (int)a.GetLong("files", 100_000);
        var days = (int)a.GetLong("days", 365);
        var commits = (int)a.GetLong("commits", 20);
        var perCommit = (int)a.GetLong("files-per-commit", 10);
        var mergeMode = a.Get("append", "fast");
        var dir = Path.Combine(a.Get("dir", Path.GetTempPath()), "floe-commitbench-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"warehouse {dir}; files={files} days={days} commits={commits} files/commit={perCommit} append={mergeMode}");
        var rows = new List<Row>();
        try
        {
            var warehouse = new Warehouse(dir);
            // Warm-up on a throwaway table so the fresh baseline does not pay for JIT compilation.
            Measure(warehouse, 0, 0, days, 5, perCommit, mergeMode, "warmup");
            rows.Add(Measure(warehouse, 0, 0, days, commits, perCommit, mergeMode));
            foreach (var s in sizes) rows.Add(Measure(warehouse, s, files, days, commits, perCommit, mergeMode));
        }
        finally
        {
            if (!a.Has("keep") && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        Print(rows);
        return 0;
    }

    private sealed class Row
    {
        public int Snapshots, Files, Manifests;
        public double GrowSeconds, MetadataKb, FirstMergeMs, JsonEncodeMs, JsonWriteMs;
        public (double Median, double P95) PairedFresh, Append, ColdAppend, Overwrite, PlanDay, PlanFull;
        public string AppendIo = "", OverwriteIo = "";
        public int DayOpened, DayTotal, FullOpened, FullTotal, DayFiles;
    }

    private static Row Measure(Warehouse warehouse, int snapshots, int files, int days, int commits, int perCommit, string mergeMode, string name = "events")
    {
        var id = TableIdentifier.Parse($"bench.{name}_{snapshots}");
        var row = new Row { Snapshots = snapshots, Files = files };
        var sw = Stopwatch.StartNew();
        var created = warehouse.CreateTable(id, CommitTableBuilder.EventsSchema, CommitTableBuilder.DaySpec,
            mergeMode == "merge" ? new Dictionary<string, string> { ["commit.manifest-merge.enabled"] = "true" } : null);
        var template = CommitTableBuilder.WriteTemplate(created);
        CommitTableBuilder.Grow(created, template, snapshots, files, days);
        row.GrowSeconds = sw.Elapsed.TotalSeconds;
        row.MetadataKb = new FileInfo(((Floe.Core.Io.LocalFileIO)created.Io).Resolve(created.MetadataLocation)).Length / 1024.0;
        Console.WriteLine($"[{snapshots} snapshots] grown in {row.GrowSeconds:F1}s, metadata {row.MetadataKb:F0} KiB");

        CountingFileIO counting = null!;
        var table = warehouse.LoadTable(id, io => counting = new CountingFileIO(io));

        if (mergeMode == "merge")
        {
            // The grown table has one manifest per snapshot (fast-append shape); the first merging append compacts it.
            sw.Restart();
            AppendCommit(table, CommitTableBuilder.FileFor(template, CommitTableBuilder.Day0 + days - 1), perCommit, mergeMode);
            row.FirstMergeMs = sw.Elapsed.TotalMilliseconds;
        }

        // Warm: one table handle, commits in a row (a long-running writer).
        // A fresh table committed to in alternation with this one, so both see the same machine load (the ratio).
        var paired = warehouse.CreateTable(TableIdentifier.Parse($"bench.{name}_{snapshots}_paired_fresh"), CommitTableBuilder.EventsSchema,
            CommitTableBuilder.DaySpec, mergeMode == "merge" ? new Dictionary<string, string> { ["commit.manifest-merge.enabled"] = "true" } : null);
        var pairedSamples = new List<double>();
        var samples = new List<double>();
        int maxManifestReads = 0, maxManifestWrites = 0, maxListReads = 0;
        for (var c = 0; c < commits; c++)
        {
            sw.Restart();
            AppendCommit(paired, CommitTableBuilder.FileFor(template, CommitTableBuilder.Day0 + c), perCommit, mergeMode);
            pairedSamples.Add(sw.Elapsed.TotalMilliseconds);
            var day = CommitTableBuilder.Day0 + days + c; // new days: appends never touch existing partitions
            var file = CommitTableBuilder.FileFor(template, day);
            counting.Reset();
            sw.Restart();
            AppendCommit(table, file, perCommit, mergeMode);
            samples.Add(sw.Elapsed.TotalMilliseconds);
            maxManifestReads = Math.Max(maxManifestReads, counting.ManifestReads);
            maxManifestWrites = Math.Max(maxManifestWrites, counting.ManifestWrites);
            maxListReads = Math.Max(maxListReads, counting.ListReads);
        }
        row.Append = Latency.Of(samples);
        row.PairedFresh = Latency.Of(pairedSamples);
        row.AppendIo = $"{maxManifestReads} / {maxManifestWrites} (lists read {maxListReads})";

        // Cold: load the table (parse its metadata) and commit, as one CLI invocation does.
        samples.Clear();
        for (var c = 0; c < Math.Max(3, commits / 4); c++)
        {
            var day = CommitTableBuilder.Day0 + days + commits + c;
            var file = CommitTableBuilder.FileFor(template, day);
            sw.Restart();
            AppendCommit(warehouse.LoadTable(id), file, perCommit, mergeMode);
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }
        row.ColdAppend = Latency.Of(samples);

        // Planning: one day in the middle of the history vs everything.
        var planDay = snapshots == 0 ? CommitTableBuilder.Day0 + days : CommitTableBuilder.Day0 + (int)((long)(snapshots / 2) * days / snapshots);
        var dayFilter = Expression.And(
            BoundPredicate.Bind(table.Schema, "event_time", Operation.GtEq, planDay * CommitTableBuilder.MicrosPerDay),
            BoundPredicate.Bind(table.Schema, "event_time", Operation.Lt, (planDay + 1) * CommitTableBuilder.MicrosPerDay));
        samples.Clear();
        for (var c = 0; c < 10; c++)
        {
            counting.Reset();
            sw.Restart();
            var (tasks, metrics) = new TableScan(table).Filter(dayFilter).PlanFiles();
            samples.Add(sw.Elapsed.TotalMilliseconds);
            row.DayTotal = metrics.TotalManifests;
            row.DayOpened = counting.ManifestReads;
            row.DayFiles = tasks.Count;
        }
        row.PlanDay = Latency.Of(samples);
        samples.Clear();
        for (var c = 0; c < 3; c++)
        {
            counting.Reset();
            sw.Restart();
            var (_, metrics) = new TableScan(table).PlanFiles();
            samples.Add(sw.Elapsed.TotalMilliseconds);
            row.FullTotal = metrics.TotalManifests;
            row.FullOpened = counting.ManifestReads;
        }
        row.PlanFull = Latency.Of(samples);
        // Where the metadata JSON goes: encoding (snapshot fragments cached by now) and the atomic write with fsync.
        sw.Restart();
        var json = Floe.Iceberg.Spec.TableMetadataParser.ToUtf8Json(table.Metadata);
        row.JsonEncodeMs = sw.Elapsed.TotalMilliseconds;
        var probe = $"{table.Metadata.Location.TrimEnd('/')}/metadata/probe-{Guid.NewGuid()}.json";
        sw.Restart();
        table.Io.WriteAtomic(probe, json);
        row.JsonWriteMs = sw.Elapsed.TotalMilliseconds;
        table.Io.Delete(probe);

        // Dynamic overwrite of one existing day (a different day each time).
        samples.Clear();
        maxManifestReads = maxManifestWrites = 0;
        var overwrites = Math.Max(3, commits / 2);
        for (var c = 0; c < overwrites; c++)
        {
            var day = snapshots == 0 ? CommitTableBuilder.Day0 + days + c : CommitTableBuilder.Day0 + (int)((long)c * days / overwrites);
            var overwrite = new DynamicPartitionOverwrite(table);
            var file = CommitTableBuilder.FileFor(template, day);
            for (var k = 0; k < perCommit; k++) overwrite.AddFile(file);
            counting.Reset();
            sw.Restart();
            overwrite.Commit();
            samples.Add(sw.Elapsed.TotalMilliseconds);
            maxManifestReads = Math.Max(maxManifestReads, counting.ManifestReads);
            maxManifestWrites = Math.Max(maxManifestWrites, counting.ManifestWrites);
        }
        row.Overwrite = Latency.Of(samples);
        row.OverwriteIo = $"{maxManifestReads} / {maxManifestWrites}";

        row.Manifests = row.FullTotal;
        Console.WriteLine($"[{snapshots} snapshots] append {row.Append.Median:F1} ms (paired fresh {row.PairedFresh.Median:F1} ms), cold {row.ColdAppend.Median:F1} ms, overwrite {row.Overwrite.Median:F1} ms, " +
                          $"first merge {row.FirstMergeMs:F0} ms, JSON encode {row.JsonEncodeMs:F1} ms write {row.JsonWriteMs:F1} ms, plan day {row.PlanDay.Median:F1} ms ({row.DayOpened}/{row.DayTotal} manifests), full {row.PlanFull.Median:F1} ms");
        return row;
    }

    /// <summary>Commits <paramref name="count"/> copies of <paramref name="file"/> with the chosen append.</summary>
    private static void AppendCommit(Table table, DataFile file, int count, string mode)
    {
        if (mode == "merge")
        {
            var merge = new MergeAppend(table);
            for (var k = 0; k < count; k++) merge.AppendFile(file);
            merge.Commit();
            return;
        }
        var append = new FastAppend(table);
        for (var k = 0; k < count; k++) append.AppendFile(file);
        append.Commit();
    }

    private static void Print(List<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| snapshots | data files | manifests at head | metadata JSON | append median / p95 (ms) | paired fresh-table append median (ms) | × fresh | manifests read / written per append | cold load+append median / p95 (ms) | one-day overwrite median / p95 (ms) | manifests read / written per overwrite | plan one day median (ms) | manifests opened | plan all median (ms) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(r.Snapshots == 0 ? "fresh" : r.Snapshots.ToString("N0", CultureInfo.InvariantCulture))} | {r.Files:N0} | {r.Manifests:N0} | {r.MetadataKb:F0} KiB | " +
                $"{r.Append.Median:F1} / {r.Append.P95:F1} | {r.PairedFresh.Median:F1} | {r.Append.Median / r.PairedFresh.Median:F2} | {r.AppendIo} | {r.ColdAppend.Median:F1} / {r.ColdAppend.P95:F1} | " +
                $"{r.Overwrite.Median:F1} / {r.Overwrite.P95:F1} | {r.OverwriteIo} | {r.PlanDay.Median:F1} | {r.DayOpened} of {r.DayTotal} | {r.PlanFull.Median:F1} |"));
        }
    }
}
