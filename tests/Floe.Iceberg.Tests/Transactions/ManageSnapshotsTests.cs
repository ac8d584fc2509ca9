using Floe.Core.Errors;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions;

[TestFixture]
public sealed class ManageSnapshotsTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static Snapshot AppendTo(Floe.Iceberg.Tables.Table table, string branch, IEnumerable<int> days, double tag)
    {
        var append = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(days, 3, tag)))) append.AppendFile(f);
        return append.ToBranch(branch).Commit();
    }

    [Test]
    public void CreateBranch_Default_PointsAtMainHeadAndIsWrittenToMetadata()
    {
        var table = _t.CreateEvents();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));

        new ManageSnapshots(table).CreateBranch("dev", minSnapshotsToKeep: 3, maxSnapshotAgeMs: 1000, maxRefAgeMs: 5000).Commit();

        var reloaded = _t.Warehouse.LoadTable(table.Identifier).Metadata;
        Assert.That(reloaded.Refs["dev"], Is.EqualTo(new SnapshotRef(first.SnapshotId, SnapshotRefType.Branch, 3, 1000, 5000)));
        Assert.That(reloaded.CurrentSnapshotId, Is.EqualTo(first.SnapshotId));
    }

    [Test]
    public void CreateTag_FromSnapshotIdAndRef_StoresMaxRefAge()
    {
        var table = _t.CreateEvents();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var second = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)));

        new ManageSnapshots(table)
            .CreateTag("v1", SnapshotTarget.Parse(first.SnapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture)), maxRefAgeMs: 86_400_000)
            .CreateTag("v2", SnapshotTarget.Parse("main"))
            .Commit();

        var refs = _t.Warehouse.LoadTable(table.Identifier).Metadata.Refs;
        Assert.That(refs["v1"], Is.EqualTo(new SnapshotRef(first.SnapshotId, SnapshotRefType.Tag, MaxRefAgeMs: 86_400_000)));
        Assert.That(refs["v2"].SnapshotId, Is.EqualTo(second.SnapshotId));
    }

    [Test]
    public void BranchCommits_LeaveMainUnchangedUntilFastForward()
    {
        var table = _t.CreateEvents();
        var mainRows = TestTables.Rows(new[] { 0 }, 3, 0);
        var baseSnapshot = TestTables.Append(table, TestTables.Events(mainRows));
        var logLength = table.Metadata.SnapshotLog.Count;

        var staged = AppendTo(table, "audit", new[] { 1 }, 100);

        table.Refresh();
        Assert.That(table.Metadata.CurrentSnapshotId, Is.EqualTo(baseSnapshot.SnapshotId));
        Same.Sequence(TestTables.Read(new TableScan(table)), mainRows.OrderBy(r => r).ToList());
        Assert.That(TestTables.Read(new TableScan(table).UseRef("audit")), Has.Count.EqualTo(6));

        new ManageSnapshots(table).FastForward("main", SnapshotTarget.Ref("audit")).Commit();

        table.Refresh();
        Assert.That(table.Metadata.CurrentSnapshotId, Is.EqualTo(staged.SnapshotId));
        Assert.That(table.Metadata.Refs["main"].SnapshotId, Is.EqualTo(staged.SnapshotId));
        Assert.That(table.Metadata.SnapshotLog, Has.Count.EqualTo(logLength + 1));
        Assert.That(table.Metadata.SnapshotLog[^1].SnapshotId, Is.EqualTo(staged.SnapshotId));
        Assert.That(TestTables.Read(new TableScan(table)), Has.Count.EqualTo(6));
    }

    [Test]
    public void FastForward_DivergedBranch_FailsWithValidationAndChangesNothing()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        AppendTo(table, "audit", new[] { 1 }, 100);
        var mainHead = TestTables.Append(table.Refresh(), TestTables.Events(TestTables.Rows(new[] { 2 }, 3, 0)));
        var location = table.Refresh().MetadataLocation;

        var e = Assert.Throws<FloeException>(() => new ManageSnapshots(table).FastForward("main", SnapshotTarget.Ref("audit")).Commit());

        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.ValidationFailed));
        Assert.That(e.Message, Does.Contain("not an ancestor"));
        Assert.That(table.Refresh().MetadataLocation, Is.EqualTo(location));
        Assert.That(table.Metadata.CurrentSnapshotId, Is.EqualTo(mainHead.SnapshotId));
    }

    [Test]
    public void FastForward_MissingBranch_CreatesItAtTarget()
    {
        var table = _t.CreateEvents();
        var head = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));

        new ManageSnapshots(table).FastForward("release", SnapshotTarget.Main).Commit();

        Assert.That(table.Refresh().Metadata.Refs["release"], Is.EqualTo(new SnapshotRef(head.SnapshotId, SnapshotRefType.Branch)));
    }

    [Test]
    public void ReplaceBranch_Main_MovesCurrentSnapshotAndLogsIt()
    {
        var table = _t.CreateEvents();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)));

        new ManageSnapshots(table).ReplaceBranch("main", SnapshotTarget.Snapshot(first.SnapshotId)).Commit();

        var metadata = _t.Warehouse.LoadTable(table.Identifier).Metadata;
        Assert.That(metadata.CurrentSnapshotId, Is.EqualTo(first.SnapshotId));
        Assert.That(metadata.SnapshotLog[^1].SnapshotId, Is.EqualTo(first.SnapshotId));
        Assert.That(TestTables.Read(new TableScan(table.Refresh())), Has.Count.EqualTo(3));
    }

    [Test]
    public void ReplaceTag_KeepsRetention()
    {
        var table = _t.CreateEvents();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var second = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)));
        new ManageSnapshots(table).CreateTag("v", SnapshotTarget.Snapshot(first.SnapshotId), 1234).Commit();

        new ManageSnapshots(table).ReplaceTag("v", SnapshotTarget.Main).Commit();

        Assert.That(table.Refresh().Metadata.Refs["v"], Is.EqualTo(new SnapshotRef(second.SnapshotId, SnapshotRefType.Tag, MaxRefAgeMs: 1234)));
    }

    [Test]
    public void DropBranchAndTag_RemoveRefs_MainRefused()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        new ManageSnapshots(table).CreateBranch("dev").CreateTag("t").Commit();

        new ManageSnapshots(table).DropBranch("dev").DropTag("t").Commit();

        Assert.That(table.Refresh().Metadata.Refs.Keys, Is.EquivalentTo(new[] { "main" }));
        var e = Assert.Throws<FloeException>(() => new ManageSnapshots(table).DropBranch("main"));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void Errors_UnknownRefsSnapshotsAndWrongKinds()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        new ManageSnapshots(table).CreateTag("t").Commit();

        FloeErrorCode Code(Action a) => Assert.Throws<FloeException>(() => a())!.Code;
        Assert.That(Code(() => new ManageSnapshots(table).CreateBranch("b", SnapshotTarget.Parse("nope")).Commit()), Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(Code(() => new ManageSnapshots(table).CreateBranch("b", SnapshotTarget.Parse("42")).Commit()), Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(Code(() => new ManageSnapshots(table).DropBranch("missing").Commit()), Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(Code(() => new ManageSnapshots(table).DropBranch("t").Commit()), Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(Code(() => new ManageSnapshots(table).CreateTag("t").Commit()), Is.EqualTo(FloeErrorCode.AlreadyExists));
        Assert.That(Code(() => new ManageSnapshots(table).ReplaceBranch("missing", SnapshotTarget.Main).Commit()), Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(Code(() => new ManageSnapshots(table).FastForward("t", SnapshotTarget.Main).Commit()), Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(Code(() => new ManageSnapshots(table).CreateBranch("b", minSnapshotsToKeep: 0)), Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(Code(() => new CherryPick(table, 42).Commit()), Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void CreateBranch_EmptyTable_IsNotFound()
    {
        var table = _t.CreateEvents();
        var e = Assert.Throws<FloeException>(() => new ManageSnapshots(table).CreateBranch("dev").Commit());
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void Commit_AfterConcurrentCommit_RetriesOnFreshMetadata()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var stale = _t.Warehouse.LoadTable(table.Identifier);
        var newer = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)));

        // The stale handle's refresh sees the new head, so "main" resolves to it.
        new ManageSnapshots(stale).CreateTag("t").Commit();

        Assert.That(table.Refresh().Metadata.Refs["t"].SnapshotId, Is.EqualTo(newer.SnapshotId));
        Assert.That(table.Metadata.CurrentSnapshotId, Is.EqualTo(newer.SnapshotId));
    }
}
