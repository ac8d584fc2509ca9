using Floe.Application.Backfill;
using Floe.Application.Scanning;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using NUnit.Framework;

namespace Floe.Application.Tests.Backfill;

[TestFixture]
public sealed class BackfillServiceTests
{
    [Test]
    public void Run_FirstTime_CreatesDayPartitionedTableHoldingWhatComputeGives()
    {
        using var f = new BackfillFixture();

        var result = f.Run(1, 5);

        Assert.That(result.TableCreated, Is.True);
        Assert.That(result.Days, Is.EqualTo(4));
        var expected = f.Computed(1, 5);
        Assert.That(expected.Count, Is.GreaterThan(1000));
        Assert.That(result.Rows, Is.EqualTo(expected.Count - 1));
        Assert.That(f.TableRows(), Is.EqualTo(expected));
        var table = f.W.Warehouse.LoadTable(TableIdentifier.Parse("features.user_txn"));
        Assert.That(table.Spec.Fields.Single().Transform.ToString(), Is.EqualTo("day"));
        Assert.That(table.Schema.Fields.Select(c => c.Name), Is.EqualTo(new[] { "entity_id", "event_time", "txn_count_1h", "amount_sum_2d", "amount_max_1d", "last_2", "avg_2d" }));
        Assert.That(f.FilesByDay().Keys.Order(), Is.EqualTo(Enumerable.Range(1, 4).Select(BackfillFixture.EpochDay)));
    }

    [Test]
    public void Run_FileSourceOverride_EqualsComputeOfTheSameFile()
    {
        using var f = new BackfillFixture();

        f.Run(2, 4, r => r with { Source = f.Events });

        Assert.That(f.TableRows(), Is.EqualTo(f.Computed(2, 4, f.Events)));
        Assert.That(f.Head()!.Summary[LineageKeys.SourceFiles], Is.EqualTo(Path.GetFullPath(f.Events)));
        Assert.That(f.Head()!.Summary.ContainsKey(LineageKeys.SourceTable), Is.False);
    }

    [Test]
    public void Run_SameRangeAgain_SameRowsInANewSnapshotThatReplacedEveryFile()
    {
        using var f = new BackfillFixture();
        var first = f.Run(1, 4);
        var rows = f.TableRows();
        var files = f.FilesByDay();

        var second = f.Run(1, 4);

        Assert.That(second.SnapshotId, Is.Not.EqualTo(first.SnapshotId));
        Assert.That(f.Head()!.ParentSnapshotId, Is.EqualTo(first.SnapshotId));
        Assert.That(f.TableRows(), Is.EqualTo(rows));
        var again = f.FilesByDay();
        Assert.That(again.Keys, Is.EquivalentTo(files.Keys));
        foreach (var day in files.Keys) Assert.That(again[day], Has.No.AnyOf(files[day].ToArray()));
    }

    [Test]
    public void Run_SubRange_ReplacesOnlyThoseDays()
    {
        using var f = new BackfillFixture();
        f.Run(0, 6);
        var rows = f.TableRows();
        var before = f.FilesByDay();

        var sub = f.Run(2, 4, r => r with { CodeVersion = "v2" });

        var after = f.FilesByDay();
        foreach (var day in new[] { 0, 1, 4, 5 }.Select(BackfillFixture.EpochDay)) Assert.That(after[day], Is.EqualTo(before[day]), $"day {day} was touched");
        foreach (var day in new[] { 2, 3 }.Select(BackfillFixture.EpochDay)) Assert.That(after[day], Has.No.AnyOf(before[day].ToArray()));
        Assert.That(f.TableRows(), Is.EqualTo(rows));
        var lineage = new LineageService(f.W.Warehouse).Describe("features.user_txn");
        Assert.That(lineage.Partitions.Select(p => p.Partition), Is.EqualTo(Enumerable.Range(0, 6).Select(d => $"2024-01-0{d + 1}")));
        Assert.That(lineage.Partitions.Select(p => p.Lineage[LineageKeys.CodeVersion]), Is.EqualTo(new[] { "test", "test", "v2", "v2", "test", "test" }));
        Assert.That(lineage.Partitions[2].SnapshotId, Is.EqualTo(sub.SnapshotId));
        Assert.That(lineage.Partitions.Sum(p => p.Rows), Is.EqualTo(rows.Count - 1));
    }

    [Test]
    public void Run_DayWhoseEventsAreGone_EndsUpEmpty()
    {
        using var f = new BackfillFixture();
        f.Run(0, 5, r => r with { Source = f.Events });
        // The same events without 2024-01-03: a rerun must empty that day, not keep its old rows.
        var lines = File.ReadAllLines(f.Events);
        var without = f.W.WriteFile("without-day-2.csv", string.Join('\n', lines.Where(l => !l.Contains(",2024-01-03T", StringComparison.Ordinal))) + "\n");

        f.Run(0, 5, r => r with { Source = without });

        Assert.That(f.FilesByDay().ContainsKey(BackfillFixture.EpochDay(2)), Is.False);
        Assert.That(f.TableRows(2, 3), Has.Count.EqualTo(1));
        Assert.That(f.TableRows(), Is.EqualTo(f.Computed(0, 5, without)));
    }

    [Test]
    public void Run_ToBranch_LeavesMainUntouched()
    {
        using var f = new BackfillFixture();
        f.Run(0, 3);
        var main = f.Head()!.SnapshotId;
        var mainRows = f.TableRows();

        var staged = f.Run(2, 5, r => r with { Branch = "staging" });

        Assert.That(staged.Branch, Is.EqualTo("staging"));
        Assert.That(f.Head()!.SnapshotId, Is.EqualTo(main));
        Assert.That(f.TableRows(), Is.EqualTo(mainRows));
        Assert.That(f.Head("staging")!.SnapshotId, Is.EqualTo(staged.SnapshotId));
        Assert.That(f.Head("staging")!.ParentSnapshotId, Is.EqualTo(main), "a new branch starts from main");
        Assert.That(f.TableRows(new ScanRequest { Ref = "staging" }), Is.EqualTo(f.Computed(0, 5)));
    }

    [Test]
    public void Run_Wap_CommitsToWapBranchAndNeverToMain()
    {
        using var f = new BackfillFixture();

        var result = f.Run(1, 3, r => r with { Wap = true });

        Assert.That(result.Branch, Is.EqualTo("wap-user_txn"));
        Assert.That(f.Head(), Is.Null, "main has no snapshot");
        Assert.That(f.TableRows(new ScanRequest { Ref = "wap-user_txn" }), Is.EqualTo(f.Computed(1, 3)));
        var error = Assert.Throws<FloeException>(() => f.Run(1, 3, r => r with { Wap = true, Branch = "main" }));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void Run_RecordsLineageProperties()
    {
        using var f = new BackfillFixture();
        var sourceSnapshot = f.W.Warehouse.LoadTable(TableIdentifier.Parse("demo.events")).Metadata.CurrentSnapshotId!.Value;

        var result = f.Run(1, 3);

        var summary = f.Head()!.Summary;
        Assert.That(summary[LineageKeys.DefinitionName], Is.EqualTo("user_txn"));
        Assert.That(summary[LineageKeys.DefinitionVersion], Is.EqualTo("1"));
        Assert.That(summary[LineageKeys.DefinitionSha256], Does.Match("^[0-9a-f]{64}$"));
        Assert.That(summary[LineageKeys.CodeVersion], Is.EqualTo("test"));
        Assert.That(summary.ContainsKey(LineageKeys.CodeDirty), Is.False);
        Assert.That(summary[LineageKeys.EngineVersion], Is.EqualTo(BackfillService.EngineVersion));
        Assert.That(summary[LineageKeys.BackfillFrom], Is.EqualTo("2024-01-02"));
        Assert.That(summary[LineageKeys.BackfillTo], Is.EqualTo("2024-01-04"));
        Assert.That(summary[LineageKeys.SourceTable], Is.EqualTo("demo.events"));
        Assert.That(summary[LineageKeys.SourceSnapshotId], Is.EqualTo(sourceSnapshot.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(summary["operation"], Is.EqualTo("overwrite"));
        Assert.That(result.Lineage, Is.EquivalentTo(summary.Where(p => p.Key.StartsWith("floe.", StringComparison.Ordinal))));
    }

    [Test]
    public void DefinitionSha_SameForJsonAndYamlSpellings_DiffersWhenLogicChanges()
    {
        using var f = new BackfillFixture();
        var yaml = f.W.WriteFile("def.yaml", BackfillFixture.Yaml);
        var compact = f.W.WriteFile("compact.json", string.Concat(BackfillFixture.Json.Where(c => c is not ('\n' or '\r'))));
        var changed = f.W.WriteFile("changed.json", BackfillFixture.Json.Replace("\"2d\"", "\"3d\"", StringComparison.Ordinal));

        f.Run(1, 2);
        var fromJson = f.Head()!.Summary[LineageKeys.DefinitionSha256];
        f.Run(1, 2, r => r with { DefinitionPath = yaml });
        var fromYaml = f.Head()!.Summary[LineageKeys.DefinitionSha256];

        Assert.That(fromYaml, Is.EqualTo(fromJson));
        Assert.That(Floe.Application.Features.DefinitionFiles.Sha256(compact), Is.EqualTo(fromJson));
        Assert.That(Floe.Application.Features.DefinitionFiles.Sha256(changed), Is.Not.EqualTo(fromJson));
        var canonical = Floe.Features.Definitions.DefinitionHash.CanonicalJson(BackfillFixture.Json, Floe.Features.Definitions.DefinitionFormat.Json);
        Assert.That(fromJson, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)))));
        Assert.That(canonical, Does.StartWith("{\"entity\":[\"entity_id\"],\"features\":["));
    }

    [Test]
    public void Run_DefinitionInGitRepository_RecordsHeadCommitAndDirtyFlag()
    {
        using var f = new BackfillFixture();
        var repo = Path.Combine(f.W.Directory, "repo");
        Directory.CreateDirectory(repo);
        var def = Path.Combine(repo, "def.json");
        File.WriteAllText(def, BackfillFixture.Json);
        Git(repo, "init", "-q");
        Git(repo, "add", "def.json");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "v1");
        var head = Git(repo, "rev-parse", "HEAD").Trim();

        f.Run(1, 2, r => r with { DefinitionPath = def, CodeVersion = null });
        var clean = f.Head()!.Summary;
        File.AppendAllText(def, "\n");
        f.Run(1, 2, r => r with { DefinitionPath = def, CodeVersion = null });
        var dirty = f.Head()!.Summary;

        Assert.That(head, Does.Match("^[0-9a-f]{40}$"));
        Assert.That(clean[LineageKeys.CodeVersion], Is.EqualTo(head));
        Assert.That(clean[LineageKeys.CodeDirty], Is.EqualTo("false"));
        Assert.That(dirty[LineageKeys.CodeVersion], Is.EqualTo(head));
        Assert.That(dirty[LineageKeys.CodeDirty], Is.EqualTo("true"));
    }

    [Test]
    public void Run_DefinitionOutsideAnyRepository_RecordsUnknownCodeVersion()
    {
        using var f = new BackfillFixture();
        if (!string.IsNullOrEmpty(Git(Path.GetTempPath(), false, "rev-parse", "--show-toplevel"))) Assert.Ignore("the temp folder is inside a git repository");

        f.Run(1, 2, r => r with { CodeVersion = null });

        Assert.That(f.Head()!.Summary[LineageKeys.CodeVersion], Is.EqualTo(CodeVersion.Unknown));
    }

    [Test]
    public void Run_Cancelled_LeavesMainAtItsSnapshotAndNoNewFiles()
    {
        using var f = new BackfillFixture();
        f.Run(0, 2);
        var head = f.Head()!.SnapshotId;
        var files = f.DataFolderFiles();
        var rows = f.TableRows();
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.DaysDone >= 2) cancel.Cancel(); });

        Assert.Throws(Is.InstanceOf<OperationCanceledException>(), () => f.Run(0, 6, progress: progress, cancellation: cancel.Token));

        Assert.That(progress.Reports, Is.Not.Empty);
        Assert.That(f.Head()!.SnapshotId, Is.EqualTo(head));
        Assert.That(f.TableRows(), Is.EqualTo(rows));
        Assert.That(f.DataFolderFiles(), Is.EqualTo(files), "the cancelled run's files are deleted");
    }

    [Test]
    public void Run_CommitEvery_CommitsEachChunkAndAResumedRunFinishesTheRange()
    {
        using var f = new BackfillFixture();
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.CommittedSnapshotId is not null) cancel.Cancel(); });

        Assert.Throws(Is.InstanceOf<OperationCanceledException>(), () => f.Run(0, 6, r => r with { CommitEveryDays = 2 }, progress, cancel.Token));
        var partial = f.Head()!;
        Assert.That(partial.Summary[LineageKeys.CommitTo], Is.EqualTo("2024-01-03"));
        Assert.That(f.FilesByDay().Keys.Order(), Is.EqualTo(new[] { 0, 1 }.Select(BackfillFixture.EpochDay)));

        var resumedProgress = new SyncProgress(_ => { });
        var resumed = f.Run(0, 6, r => r with { CommitEveryDays = 2 }, resumedProgress);

        Assert.That(resumed.ResumedFrom, Is.EqualTo(new DateOnly(2024, 1, 3)));
        Assert.That(resumedProgress.Reports.Select(p => p.DaysDone), Is.Ordered.And.All.InRange(3, 6));
        Assert.That(resumedProgress.Reports.Select(p => p.DaysResumed), Is.All.EqualTo(2));
        Assert.That(resumedProgress.Reports[^1], Has.Property(nameof(BackfillProgress.DaysDone)).EqualTo(6).And.Property(nameof(BackfillProgress.Rows)).EqualTo(resumed.Rows));
        Assert.That(resumedProgress.Reports.Count(p => p.CommittedSnapshotId is not null), Is.EqualTo(2));
        Assert.That(resumed.SnapshotIds, Has.Count.EqualTo(2));
        Assert.That(resumed.Days, Is.EqualTo(4));
        Assert.That(f.TableRows(), Is.EqualTo(f.Computed(0, 6)));
        var full = f.Run(0, 6, r => r with { CommitEveryDays = 2 });
        Assert.That(full.ResumedFrom, Is.Null, "a finished run is redone, not resumed");
        Assert.That(full.SnapshotIds, Has.Count.EqualTo(3));
        Assert.That(f.TableRows(), Is.EqualTo(f.Computed(0, 6)));
    }

    [Test]
    public void Run_Tag_TagsTheLastSnapshotInTheSameMetadataVersion()
    {
        using var f = new BackfillFixture();
        f.Run(1, 3);
        var table = f.W.Warehouse.LoadTable(TableIdentifier.Parse("features.user_txn"));
        var versions = table.Metadata.MetadataLog.Count;

        var result = f.Run(1, 5, r => r with { Tag = "features-v2", CommitEveryDays = 2 });

        var after = f.W.Warehouse.LoadTable(TableIdentifier.Parse("features.user_txn")).Metadata;
        Assert.Multiple(() =>
        {
            Assert.That(result.SnapshotIds, Has.Count.EqualTo(2));
            Assert.That(after.Refs["features-v2"].SnapshotId, Is.EqualTo(result.SnapshotId), "the tag is on the run's last snapshot");
            Assert.That(after.Refs["features-v2"].Type, Is.EqualTo(Floe.Iceberg.Spec.SnapshotRefType.Tag));
            Assert.That(after.MetadataLog.Count, Is.EqualTo(versions + 2), "two chunks, two commits: the tag rode on the last");
        });

        // The name is taken now: a second run with it fails before computing anything and commits nothing.
        var head = f.Head()!.SnapshotId;
        var error = Assert.Throws<FloeException>(() => f.Run(1, 5, r => r with { Tag = "features-v2" }))!;
        Assert.That(error.Code, Is.EqualTo(FloeErrorCode.AlreadyExists));
        Assert.That(error.Message, Does.Contain("features-v2"));
        Assert.That(f.Head()!.SnapshotId, Is.EqualTo(head));
    }

    [Test]
    public void Run_ExistingTableWithOtherSchema_FailsNamingTheTable()
    {
        using var f = new BackfillFixture();
        f.W.Tables.Create("features.user_txn", "entity_id:long,event_time:timestamptz,x:double", "day(event_time)");

        var error = Assert.Throws<FloeException>(() => f.Run(1, 2));

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("features.user_txn").And.Contain("txn_count_1h"));
    }

    [Test]
    public void Run_ExistingTableDifferingOnlyInNullability_NamesTheColumnAndHow()
    {
        using var f = new BackfillFixture();
        f.Run(1, 2);
        var created = f.W.Warehouse.LoadTable(TableIdentifier.Parse("features.user_txn")).Schema;
        // The same names and types, the entity key made "not null" as a user creating the table might.
        var columns = string.Join(",", created.Fields.Select(c => $"{c.Name}:{c.Type}{(c.Name == "entity_id" || c.Required ? " not null" : "")}"));
        f.W.Tables.Drop("features.user_txn", purge: true);
        f.W.Tables.Create("features.user_txn", columns, "day(event_time)");

        var error = Assert.Throws<FloeException>(() => f.Run(1, 2));

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("column 1 is 'entity_id: long not null' (field id 1) in the table but 'entity_id: long' (field id 1)"));
    }

    [TestCase("2024-01-02T06:00:00Z", "2024-01-03")]
    [TestCase("2024-01-03", "2024-01-03")]
    public void Run_RangeNotWholeDays_FailsInvalidArgument(string from, string to)
    {
        using var f = new BackfillFixture(rows: 100, days: 2);
        var error = Assert.Throws<FloeException>(() => f.Service.Run(new BackfillRequest
        {
            DefinitionPath = f.Definition,
            From = DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            To = DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
        }));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void Lineage_AtAnEarlierSnapshot_ShowsTheWritersOfThatTime()
    {
        using var f = new BackfillFixture();
        var first = f.Run(0, 3);
        f.Run(1, 2, r => r with { CodeVersion = "v2" });
        var service = new LineageService(f.W.Warehouse);

        var then = service.Describe("features.user_txn", snapshotId: first.SnapshotId);
        var now = service.Describe("features.user_txn");
        var byRef = service.Describe("features.user_txn", reference: "main");

        Assert.That(then.Partitions.Select(p => p.SnapshotId), Is.All.EqualTo(first.SnapshotId));
        Assert.That(then.Partitions.Select(p => p.Lineage[LineageKeys.CodeVersion]), Is.All.EqualTo("test"));
        Assert.That(now.Partitions.Select(p => p.Lineage[LineageKeys.CodeVersion]), Is.EqualTo(new[] { "test", "v2", "test" }));
        Assert.That(byRef, Is.EqualTo(now).Using<LineageReport>((a, b) => a.SnapshotId == b.SnapshotId));
        Assert.Throws<FloeException>(() => service.Describe("features.user_txn", snapshotId: first.SnapshotId, reference: "main"));
    }

    [TestCase("2g", 2L << 30)]
    [TestCase("512m", 512L << 20)]
    [TestCase("1073741824", 1L << 30)]
    [TestCase("64MB", 64L << 20)]
    public void ParseBytes_Suffixes(string text, long expected) => Assert.That(MemoryBudget.ParseBytes(text), Is.EqualTo(expected));

    [Test]
    public void MemoryBudget_BoundsWorkersAndRowGroups()
    {
        var small = MemoryBudget.For(MemoryBudget.MinimumBytes, 128L << 20);
        Assert.That(small.Parallelism, Is.EqualTo(1));
        Assert.That(small.RowGroupBytes, Is.EqualTo(MemoryBudget.MinimumBytes / 8));
        Assert.Throws<FloeException>(() => MemoryBudget.For(1 << 20, 128L << 20));
        Assert.Throws<FloeException>(() => MemoryBudget.ParseBytes("lots"));
    }

    private static string Git(string directory, params string[] args) => Git(directory, true, args);

    private static string Git(string directory, bool check, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(directory);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed");
        return process.ExitCode == 0 ? output : "";
    }

    /// <summary>Reports synchronously on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<BackfillProgress> onReport) : IProgress<BackfillProgress>
    {
        public List<BackfillProgress> Reports { get; } = new();

        public void Report(BackfillProgress value)
        {
            lock (Reports) Reports.Add(value);
            onReport(value);
        }
    }
}
