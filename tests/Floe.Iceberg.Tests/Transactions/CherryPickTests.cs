using Floe.Core.Errors;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions;

[TestFixture]
public sealed class CherryPickTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    [Test]
    public void CherryPick_AppendFromBranch_ReaddsFilesOnMainWithSourceId()
    {
        var table = _t.CreateEvents();
        var mainRows = TestTables.Rows(new[] { 0 }, 3, 0);
        TestTables.Append(table, TestTables.Events(mainRows));
        var stagedRows = TestTables.Rows(new[] { 1 }, 4, 50);
        var append = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(stagedRows))) append.AppendFile(f);
        var staged = append.ToBranch("staging").Commit();
        // Main moves on, so a fast-forward is impossible and the pick must create a new snapshot.
        var moreRows = TestTables.Rows(new[] { 2 }, 2, 90);
        var mainHead = TestTables.Append(table.Refresh(), TestTables.Events(moreRows));

        var picked = new CherryPick(table, staged.SnapshotId).Commit();

        Assert.That(picked.SnapshotId, Is.Not.EqualTo(staged.SnapshotId));
        Assert.That(picked.ParentSnapshotId, Is.EqualTo(mainHead.SnapshotId));
        Assert.That(picked.Operation, Is.EqualTo("append"));
        Assert.That(picked.Summary[CherryPick.SourceSnapshotIdProperty], Is.EqualTo(staged.SnapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var expected = mainRows.Concat(stagedRows).Concat(moreRows).OrderBy(r => r).ToList();
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), expected);
        Assert.That(picked.Summary["total-records"], Is.EqualTo("9"));
    }

    [Test]
    public void CherryPick_DynamicOverwrite_ReplacesSamePartitions()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 3, 0)));
        var replacement = TestTables.Rows(new[] { 1 }, 2, 500);
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(replacement))) overwrite.AddFile(f);
        var staged = overwrite.ToBranch("fix").Commit();
        var day2 = TestTables.Rows(new[] { 2 }, 2, 0);
        TestTables.Append(table.Refresh(), TestTables.Events(day2));

        var picked = new CherryPick(table, staged.SnapshotId).Commit();

        Assert.That(picked.Operation, Is.EqualTo("overwrite"));
        var expected = TestTables.Rows(new[] { 0 }, 3, 0).Concat(replacement).Concat(day2).OrderBy(r => r).ToList();
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), expected);
    }

    [Test]
    public void CherryPick_Ancestor_OrTwice_FailsWithValidation()
    {
        var table = _t.CreateEvents();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var append = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)))) append.AppendFile(f);
        var staged = append.ToBranch("b").Commit();
        new CherryPick(table, staged.SnapshotId).Commit();

        var ancestor = Assert.Throws<FloeException>(() => new CherryPick(table, first.SnapshotId).Commit());
        var twice = Assert.Throws<FloeException>(() => new CherryPick(table, staged.SnapshotId).Commit());

        Assert.That(ancestor!.Code, Is.EqualTo(FloeErrorCode.ValidationFailed));
        Assert.That(ancestor.Message, Does.Contain("ancestor"));
        Assert.That(twice!.Code, Is.EqualTo(FloeErrorCode.ValidationFailed));
        Assert.That(twice.Message, Does.Contain("already picked"));
    }
}
