using System.Diagnostics;
using Floe.Application.Ingest;
using Floe.Iceberg.Catalog;

namespace Floe.Stress.Tests;

/// <summary>
/// Fault injection: floe ingest processes are killed with SIGKILL at random moments between their first file write
/// and their exit, so kills land while data files, manifests, the manifest list or the metadata file are written,
/// around the catalog compare-and-swap, and during cleanup. After each kill the table must load and scan, hold
/// exactly the rows of the previous or of the new snapshot, and rerunning the operation must converge.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CrashSafetyTests
{
    private const int Days = 4;

    [Test]
    public void Ingest_WriterKilledAtRandomMoments_TableAtPreviousOrNewSnapshotAndRerunConverges()
    {
        var cli = FloeCli.Locate();
        var runs = StressSettings.CrashRuns;
        var random = new Random(StressSettings.Seed);
        TestContext.Out.WriteLine($"{runs} killed writers with {cli.Description}, seed {StressSettings.Seed}");
        using var temp = new TempDirectory("floe-crash");
        var warehouse = Path.Combine(temp.Path, "warehouse");
        var tableDirectory = Path.Combine(warehouse, "stress", "events");
        EventTable.Create(cli, warehouse);

        var model = new TableModel();
        long nextId = 1;
        PlannedOperation NextOperation(int index, bool? overwrite = null)
        {
            var days = Enumerable.Range(0, Days).OrderBy(_ => random.Next()).Take(random.Next(1, Days)).ToList();
            var op = PlannedOperation.Create(0, index, overwrite ?? random.NextDouble() < 0.6, nextId, random.Next(100, 401), days,
                Path.Combine(temp.Path, $"op{index}.csv"));
            nextId += 1_000;
            return op;
        }

        var first = NextOperation(-1, overwrite: false);
        cli.RunOk(warehouse, first.Arguments);
        model.Apply(first.Overwrite, first.Rows);

        var expectedBySnapshot = new Dictionary<long, List<string>>();
        var phases = new SortedDictionary<string, int>(StringComparer.Ordinal);
        (double From, double To) window = default;
        var clock = Stopwatch.StartNew();
        for (var run = 0; run < runs; run++)
        {
            if (run % 20 == 0)
            {
                // (Re)measure when a writer starts writing files and when it exits: the machine's load changes.
                var probe = NextOperation(1_000_000 + run, overwrite: true);
                window = Calibrate(cli, warehouse, tableDirectory, probe);
                model.Apply(probe.Overwrite, probe.Rows);
            }
            var op = NextOperation(run);
            var before = model;
            var after = model.Clone();
            after.Apply(op.Overwrite, op.Rows);
            var beforeSnapshot = TableFiles.CurrentSnapshotId(warehouse);
            var filesBefore = TableFiles.OnDisk(tableDirectory);

            // Half the kills wait for the writer's first file of a kind (then a few ms more), so every stage of the
            // commit is hit whatever the machine's speed; the rest land at a random time since start.
            var target = Targets[random.Next(Targets.Length)];
            var delayMs = window.From + random.NextDouble() * (window.To - window.From);
            using var trigger = new ManualResetEventSlim();
            using var watcher = Watch(tableDirectory, target, trigger);
            using var process = cli.Start(warehouse, op.Arguments, out _, out var stderr);
            var exited = target is null ? process.WaitForExit(TimeSpan.FromMilliseconds(delayMs)) : WaitForTrigger(process, trigger);
            if (!exited && target is not null) Thread.Sleep(random.Next(0, 4));
            var killed = !process.HasExited;
            if (killed)
            {
                process.Kill();
            }
            process.WaitForExit();
            var hotJournal = killed && File.Exists(Path.Combine(warehouse, JournalName));
            var context = $"run {run}, {op}, {(killed ? target is null ? $"killed after {delayMs:F0} ms" : $"killed on its first {target} event" : "not killed")}";
            if (!killed) Assert.That(process.ExitCode, Is.EqualTo(0), $"{context}: {stderr}");

            // The table loads and scans, and holds exactly the previous or the new rows.
            var current = TableFiles.CurrentSnapshotId(warehouse);
            List<string> keys;
            try
            {
                keys = EventTable.ReadKeys(warehouse);
            }
            catch (Exception e)
            {
                Assert.Fail($"{context}: the table cannot be read after the kill: {e}");
                return;
            }
            bool landed;
            if (SameRows(keys, after))
            {
                landed = true;
                Assert.That(current, Is.Not.EqualTo(beforeSnapshot), $"{context}: new rows without a new snapshot");
                Assert.That(TableFiles.ParentOf(warehouse, current!.Value), Is.EqualTo(beforeSnapshot), $"{context}: new snapshot's parent");
            }
            else
            {
                EventTable.AssertSameRows(before.Keys, keys, $"{context}: neither the previous nor the new content");
                landed = false;
                Assert.That(current, Is.EqualTo(beforeSnapshot), $"{context}: same rows but the snapshot moved");
            }
            var phase = hotJournal && !landed ? "6b inside the catalog transaction (hot journal)" : Phase(killed, landed, TableFiles.OnDisk(tableDirectory).Except(filesBefore).ToList());
            phases[phase] = phases.GetValueOrDefault(phase) + 1;

            // Rerunning converges: an overwrite always (it is idempotent), an append when it had not landed.
            if (op.Overwrite || !landed)
            {
                new IngestService(new Warehouse(warehouse)).Ingest(EventTable.Name, op.CsvPath,
                    new IngestOptions { Mode = op.Overwrite ? IngestMode.OverwritePartitions : IngestMode.Append });
                EventTable.AssertSameRows(after.Keys, EventTable.ReadKeys(warehouse), $"{context}: after rerunning the operation");
            }
            model = after;
            if (run % 10 == 0) expectedBySnapshot[TableFiles.CurrentSnapshotId(warehouse)!.Value] = model.Keys.ToList();
        }
        expectedBySnapshot[TableFiles.CurrentSnapshotId(warehouse)!.Value] = model.Keys.ToList();
        TestContext.Out.WriteLine($"{runs} runs in {clock.Elapsed.TotalSeconds:F1} s; where the kills landed: " +
                                  string.Join(", ", phases.Select(p => $"{p.Key} {p.Value}")));

        // Nothing a killed writer (or its cleanup) did removed a file the table still references.
        var referenced = TableFiles.Referenced(warehouse);
        var missing = referenced.Where(f => !File.Exists(f)).ToList();
        Assert.That(missing, Is.Empty, "files referenced by the table metadata are missing");
        var leftovers = TableFiles.OnDisk(tableDirectory).Except(referenced).ToList();
        TestContext.Out.WriteLine($"unreferenced files left behind: {leftovers.Count} (" +
                                  string.Join(", ", leftovers.GroupBy(TableFiles.KindOf).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")) + ")");

        RemoveOrphansIfAvailable(cli, warehouse, tableDirectory);

        // Leftovers are reclaimable: deleting every unreferenced file leaves each snapshot reading as it did.
        foreach (var file in TableFiles.OnDisk(tableDirectory).Except(referenced)) File.Delete(file);
        foreach (var (snapshot, keys) in expectedBySnapshot)
        {
            EventTable.AssertSameRows(keys, EventTable.ReadKeys(warehouse, snapshot), $"snapshot {snapshot} after deleting unreferenced files");
        }
        EventTable.AssertSameRows(model.Keys, EventTable.KeysOfJsonLines(cli.RunOk(warehouse, "scan", EventTable.Name, "--format", "json")), "floe scan at the end");
    }

    /// <summary>
    /// Runs <paramref name="probe"/> to completion, polling the table folder, and returns the span from shortly
    /// before its first new file until shortly after it exits, in milliseconds since its start.
    /// </summary>
    private static (double From, double To) Calibrate(FloeCli cli, string warehouse, string tableDirectory, PlannedOperation probe)
    {
        var before = TableFiles.OnDisk(tableDirectory).Count;
        var clock = Stopwatch.StartNew();
        using var process = cli.Start(warehouse, probe.Arguments, out _, out var stderr);
        double? firstFile = null;
        while (!process.HasExited)
        {
            if (firstFile is null && TableFiles.OnDisk(tableDirectory).Count > before) firstFile = clock.Elapsed.TotalMilliseconds;
            Thread.Sleep(1);
        }
        process.WaitForExit();
        var exit = clock.Elapsed.TotalMilliseconds;
        Assert.That(process.ExitCode, Is.EqualTo(0), $"calibration ingest failed: {stderr}");
        var start = firstFile ?? exit * 0.5;
        var span = Math.Max(exit - start, 5);
        var window = (From: Math.Max(0, start - 0.2 * span), To: exit + 0.1 * span);
        TestContext.Out.WriteLine($"calibration: first file at {start:F0} ms, exit at {exit:F0} ms; kills in [{window.From:F0}, {window.To:F0}] ms");
        return window;
    }

    /// <summary>SQLite's rollback journal of the catalog: present while a write transaction is open or after a crash in one.</summary>
    private const string JournalName = Warehouse.CatalogFileName + "-journal";

    /// <summary>Kinds of file whose first appearance triggers a kill; null = kill at a random time.</summary>
    /// "journal" fires when the catalog's compare-and-swap transaction starts writing, "journal-deleted" when it committed.
    private static readonly string?[] Targets =
        { null, null, null, null, "data", "manifest", "manifest-list", "temp", "metadata", "journal", "journal-deleted", "journal-deleted" };

    /// <summary>Sets <paramref name="trigger"/> when a file of kind <paramref name="target"/> appears under the table folder.</summary>
    private static FileSystemWatcher? Watch(string tableDirectory, string? target, ManualResetEventSlim trigger)
    {
        if (target is null) return null;
        if (target.StartsWith("journal", StringComparison.Ordinal))
        {
            var catalog = new FileSystemWatcher(Path.GetDirectoryName(Path.GetDirectoryName(tableDirectory))!, JournalName)
            {
                NotifyFilter = NotifyFilters.FileName,
            };
            if (target == "journal") catalog.Created += (_, _) => trigger.Set();
            else catalog.Deleted += (_, _) => trigger.Set();
            catalog.EnableRaisingEvents = true;
            return catalog;
        }
        var watcher = new FileSystemWatcher(tableDirectory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName,
        };
        watcher.Created += (_, e) =>
        {
            if (TableFiles.KindOf(e.FullPath) == target) trigger.Set();
        };
        watcher.Renamed += (_, e) =>
        {
            if (TableFiles.KindOf(e.FullPath) == target) trigger.Set();
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    /// <summary>Waits until the trigger fires (false) or the process exits first (true).</summary>
    private static bool WaitForTrigger(Process process, ManualResetEventSlim trigger)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (trigger.Wait(1)) return process.HasExited;
            if (process.HasExited) return true;
        }
        return process.HasExited;
    }

    /// <summary>How far a writer got: from the new files it left and whether its snapshot landed.</summary>
    private static string Phase(bool killed, bool landed, IReadOnlyCollection<string> newFiles)
    {
        if (!killed) return "8 not killed (finished)";
        if (landed) return "7 after the catalog swap (cleanup/exit)";
        var kinds = newFiles.Select(TableFiles.KindOf).ToHashSet();
        if (kinds.Contains("metadata")) return "6 metadata written, before the catalog swap";
        if (kinds.Contains("temp")) return "5 writing metadata";
        if (kinds.Contains("manifest-list")) return "4 manifest list";
        if (kinds.Contains("manifest")) return "3 manifests";
        if (kinds.Contains("data")) return "2 data files";
        return "1 before any file (start-up, reading the CSV)";
    }

    private static bool SameRows(List<string> actual, TableModel expected)
    {
        if (actual.Count != expected.Count) return false;
        var a = actual.Order(StringComparer.Ordinal).ToList();
        var e = expected.Keys.Order(StringComparer.Ordinal).ToList();
        return a.SequenceEqual(e, StringComparer.Ordinal);
    }

    /// <summary>Runs <c>floe remove-orphans</c> when the CLI has it; the table must stay readable afterwards.</summary>
    private static void RemoveOrphansIfAvailable(FloeCli cli, string warehouse, string tableDirectory)
    {
        if (!cli.RunOk(warehouse, "--help").Contains("remove-orphans", StringComparison.Ordinal))
        {
            TestContext.Out.WriteLine("floe remove-orphans is not available; leftovers are deleted by the test instead");
            return;
        }
        // The leftovers are seconds old, so the default 3-day grace period would keep them: give a cutoff in the future.
        var cutoff = DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var result = cli.Run(warehouse, "remove-orphans", EventTable.Name, "--older-than", cutoff);
        Assert.That(result.ExitCode, Is.EqualTo(0), $"floe remove-orphans: {result.Stderr}");
        TestContext.Out.WriteLine($"floe remove-orphans: {result.Stdout.Trim()}");
        var referenced = TableFiles.Referenced(warehouse);
        Assert.That(referenced.Where(f => !File.Exists(f)), Is.Empty, "remove-orphans deleted a referenced file");
        Assert.That(TableFiles.OnDisk(tableDirectory).Except(referenced), Is.Empty, "remove-orphans left files of killed writers behind");
    }
}
