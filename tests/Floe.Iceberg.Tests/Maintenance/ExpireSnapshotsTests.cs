using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Maintenance;

[TestFixture]
public sealed class ExpireSnapshotsTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static List<(long, long, double?)> Rows(int day, double tag) => TestTables.Rows(new[] { day }, 3, tag);

    [Test]
    public void Expire_OlderThan_DeletesOnlyFilesNoRetainedSnapshotReaches()
    {
        var table = _t.CreateEvents();
        var s1 = TestTables.Append(table, TestTables.Events(Rows(0, 0)));
        var s2 = TestTables.Overwrite(table, TestTables.Events(Rows(0, 100)));
        var s3 = TestTables.Append(table, TestTables.Events(Rows(1, 0)));
        var expectedRows = TestTables.Read(new TableScan(table.Refresh()));
        var s1Tree = MaintenanceFiles.Tree(table, s1);
        var s2Tree = MaintenanceFiles.Tree(table, s2);
        var s3Tree = MaintenanceFiles.Tree(table, s3);
        var s1Data = MaintenanceFiles.LiveDataFiles(table, s1);

        var result = new ExpireSnapshots(table).ExpireOlderThan(s3.TimestampMs).Execute();

        Assert.That(result.ExpiredSnapshotIds, Is.EquivalentTo(new[] { s1.SnapshotId, s2.SnapshotId }));
        Assert.That(table.Refresh().Metadata.Snapshots.Select(s => s.SnapshotId), Is.EqualTo(new[] { s3.SnapshotId }));
        var onDisk = MaintenanceFiles.OnDisk(table);
        Assert.That(onDisk, Is.SupersetOf(s3Tree), "every file of the retained snapshot stays");
        var gone = s1Tree.Union(s2Tree).Except(s3Tree).ToList();
        Assert.That(gone, Is.Not.Empty);
        Assert.That(onDisk.Intersect(gone), Is.Empty, "files only expired snapshots reached are deleted");
        Assert.That(result.DeletedDataFiles.Select(p => MaintenanceFiles.Local(table, p)), Is.EquivalentTo(s1Data));
        Assert.That(result.DeletedManifestLists, Has.Count.EqualTo(2));
        Same.Sequence(TestTables.Read(new TableScan(table)), expectedRows);
        Assert.That(table.Metadata.SnapshotLog.Select(e => e.SnapshotId), Is.EqualTo(new[] { s3.SnapshotId }));
    }

    [Test]
    public void Expire_TaggedSnapshot_SurvivesAndStaysReadable()
    {
        var table = _t.CreateEvents();
        var original = Rows(0, 0);
        var s1 = TestTables.Append(table, TestTables.Events(original));
        new ManageSnapshots(table).CreateTag("v1").Commit();
        var s2 = TestTables.Overwrite(table, TestTables.Events(Rows(0, 100)));
        var s3 = TestTables.Overwrite(table, TestTables.Events(Rows(0, 200)));

        var result = new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).Execute();

        Assert.That(result.ExpiredSnapshotIds, Is.EqualTo(new[] { s2.SnapshotId }));
        table.Refresh();
        Assert.That(table.Metadata.Snapshots.Select(s => s.SnapshotId), Is.EquivalentTo(new[] { s1.SnapshotId, s3.SnapshotId }));
        Same.Sequence(TestTables.Read(new TableScan(table).UseRef("v1")), original.OrderBy(r => r).ToList());
        Same.Sequence(TestTables.Read(new TableScan(table).UseSnapshot(s1.SnapshotId)), original.OrderBy(r => r).ToList());
        Same.Sequence(TestTables.Read(new TableScan(table)), Rows(0, 200).OrderBy(r => r).ToList());
        Assert.That(MaintenanceFiles.OnDisk(table), Is.SupersetOf(MaintenanceFiles.Tree(table, s1)).And.SupersetOf(MaintenanceFiles.Tree(table, s3)));
        Assert.That(result.DeletedDataFiles, Has.Count.EqualTo(1), "only s2's replaced file");
    }

    [Test]
    public void Expire_RetainLast_KeepsNewestOnEachBranch()
    {
        var table = _t.CreateEvents();
        var snapshots = Enumerable.Range(0, 4).Select(d => TestTables.Append(table, TestTables.Events(Rows(d, 0)))).ToList();
        var expected = TestTables.Read(new TableScan(table.Refresh()));

        var result = new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).RetainLast(2).Execute();

        Assert.That(result.ExpiredSnapshotIds, Is.EquivalentTo(snapshots.Take(2).Select(s => s.SnapshotId)));
        Assert.That(result.DeletedDataFiles, Is.Empty, "appends keep every earlier file live");
        table.Refresh();
        foreach (var s in snapshots.Skip(2))
        {
            Assert.That(TestTables.Read(new TableScan(table).UseSnapshot(s.SnapshotId)), Has.Count.EqualTo(3 * (snapshots.IndexOf(s) + 1)));
        }
        Same.Sequence(TestTables.Read(new TableScan(table)), expected);
    }

    [Test]
    public void Expire_BranchMinSnapshotsToKeep_WinsOverDefaults()
    {
        var table = _t.CreateEvents();
        for (var d = 0; d < 4; d++) TestTables.Append(table, TestTables.Events(Rows(d, 0)));
        new ManageSnapshots(table).SetBranchRetention("main", minSnapshotsToKeep: 3).Commit();

        var result = new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).Execute();

        Assert.That(result.ExpiredSnapshotIds, Has.Count.EqualTo(1));
        Assert.That(table.Refresh().Metadata.Snapshots, Has.Count.EqualTo(3));
    }

    [Test]
    public void Expire_DefaultAge_KeepsRecentSnapshots()
    {
        var table = _t.CreateEvents();
        for (var d = 0; d < 3; d++) TestTables.Append(table, TestTables.Events(Rows(d, 0)));

        var result = new ExpireSnapshots(table).Execute();

        Assert.That(result.ExpiredSnapshotIds, Is.Empty);
        Assert.That(table.Refresh().Metadata.Snapshots, Has.Count.EqualTo(3));
    }

    [Test]
    public void Expire_DryRun_ReportsButChangesNothing()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(Rows(0, 0)));
        TestTables.Overwrite(table, TestTables.Events(Rows(0, 1)));
        var location = table.Refresh().MetadataLocation;
        var before = MaintenanceFiles.OnDisk(table);

        var result = new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).DryRun().Execute();

        Assert.That(result.DryRun, Is.True);
        Assert.That(result.ExpiredSnapshotIds, Has.Count.EqualTo(1));
        Assert.That(result.DeletedDataFiles, Has.Count.EqualTo(1));
        Assert.That(table.Refresh().MetadataLocation, Is.EqualTo(location));
        Assert.That(MaintenanceFiles.OnDisk(table), Is.EquivalentTo(before));
    }

    [Test]
    public void Expire_TagPastMaxRefAge_IsRemovedWithItsSnapshot()
    {
        var table = _t.CreateEvents();
        var s1 = TestTables.Append(table, TestTables.Events(Rows(0, 0)));
        new ManageSnapshots(table).CreateTag("short", maxRefAgeMs: 1).CreateTag("kept").Commit();
        new ManageSnapshots(table).ReplaceTag("kept", SnapshotTarget.Snapshot(s1.SnapshotId)).Commit();
        TestTables.Overwrite(table, TestTables.Events(Rows(0, 1)));
        new ManageSnapshots(table).DropTag("kept").Commit();
        Thread.Sleep(5);

        var result = new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).Execute();

        Assert.That(result.RemovedRefs, Is.EqualTo(new[] { "short" }));
        Assert.That(result.ExpiredSnapshotIds, Is.EqualTo(new[] { s1.SnapshotId }));
        Assert.That(table.Refresh().Metadata.Refs.Keys, Is.EquivalentTo(new[] { SnapshotRef.MainBranch }));
    }

    [Test]
    public void Expire_DroppedBranchAfterCherryPick_KeepsFilesMainStillUses()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(Rows(0, 0)));
        var append = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(Rows(1, 5)))) append.AppendFile(f);
        var staged = append.ToBranch("stage").Commit();
        TestTables.Append(table.Refresh(), TestTables.Events(Rows(2, 0)));
        new CherryPick(table, staged.SnapshotId).Commit();
        new ManageSnapshots(table).DropBranch("stage").Commit();
        var expected = TestTables.Read(new TableScan(table.Refresh()));
        var live = MaintenanceFiles.Tree(table, table.Metadata.CurrentSnapshot!);

        var result = new ExpireSnapshots(table).ExpireOlderThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000).Execute();

        Assert.That(result.ExpiredSnapshotIds, Has.Count.EqualTo(3), "the staged snapshot and main's two older ones");
        Assert.That(result.DeletedDataFiles, Is.Empty, "the staged files are live on main through the cherry-pick");
        Assert.That(MaintenanceFiles.OnDisk(table), Is.SupersetOf(live));
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), expected);
    }
}
