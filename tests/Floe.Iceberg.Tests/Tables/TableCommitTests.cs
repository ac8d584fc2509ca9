using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Tables;

[TestFixture]
public sealed class TableCommitTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    [Test]
    public void Append_ThenScan_ReturnsEveryRowAndSummaryTotals()
    {
        var table = _t.CreateEvents();
        var rows = TestTables.Rows(new[] { 0, 1, 2 }, 10, 0);
        var snapshot = TestTables.Append(table, TestTables.Events(rows));

        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), rows.OrderBy(r => r).ToList());
        Assert.That(snapshot.Operation, Is.EqualTo("append"));
        Assert.That(snapshot.Summary["added-records"], Is.EqualTo("30"));
        Assert.That(snapshot.Summary["total-records"], Is.EqualTo("30"));
        Assert.That(snapshot.Summary["added-data-files"], Is.EqualTo("3"));
        Assert.That(table.Metadata.CurrentSnapshotId, Is.EqualTo(snapshot.SnapshotId));
        Assert.That(table.Metadata.Refs["main"].SnapshotId, Is.EqualTo(snapshot.SnapshotId));
    }

    [Test]
    public void Append_Twice_KeepsFirstManifestUnchanged()
    {
        var table = _t.CreateEvents();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 5, 0)));
        var second = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 5, 0)));
        var firstManifests = Floe.Iceberg.Manifests.ManifestListReader.Read(table.Io, first.ManifestList).Select(m => m.ManifestPath);
        var secondManifests = Floe.Iceberg.Manifests.ManifestListReader.Read(table.Io, second.ManifestList).Select(m => m.ManifestPath);
        Assert.That(secondManifests, Is.SupersetOf(firstManifests));
        Assert.That(second.ParentSnapshotId, Is.EqualTo(first.SnapshotId));
        Assert.That(second.SequenceNumber, Is.EqualTo(first.SequenceNumber + 1));
    }

    [Test]
    public void Overwrite_SameDataTwice_IsIdempotentAndLeavesOtherPartitionsUntouched()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1, 2 }, 4, 0)));
        var untouched = FilesOfDay(table, 0);
        var replacement = TestTables.Events(TestTables.Rows(new[] { 1, 2 }, 3, 100));

        var first = TestTables.Overwrite(table, replacement);
        var afterFirst = TestTables.Read(new TableScan(table));
        TestTables.Overwrite(table, replacement);
        var afterSecond = TestTables.Read(new TableScan(table));

        Assert.That(afterSecond, Is.EqualTo(afterFirst));
        Assert.That(afterFirst.Count, Is.EqualTo(4 + 3 + 3));
        Assert.That(afterFirst.Where(r => r.Amount >= 100).Count(), Is.EqualTo(6));
        Assert.That(FilesOfDay(table, 0), Is.EqualTo(untouched));
        Assert.That(first.Operation, Is.EqualTo("overwrite"));
        Assert.That(first.Summary["deleted-records"], Is.EqualTo("8"));
        Assert.That(first.Summary["total-records"], Is.EqualTo("10"));
    }

    [Test]
    public void TimeTravel_AfterOverwrite_ReturnsOlderSnapshotRows()
    {
        var table = _t.CreateEvents();
        var original = TestTables.Rows(new[] { 0, 1 }, 5, 0);
        var old = TestTables.Append(table, TestTables.Events(original));
        TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 2, 50)));

        Same.Sequence(TestTables.Read(new TableScan(table).UseSnapshot(old.SnapshotId)), original.OrderBy(r => r).ToList());
        Same.Sequence(TestTables.Read(new TableScan(table).AsOf(old.TimestampMs)), original.OrderBy(r => r).ToList());
        Assert.That(TestTables.Read(new TableScan(table)).Count, Is.EqualTo(4));
    }

    [Test]
    public void Append_ToBranch_LeavesMainUnchanged()
    {
        var table = _t.CreateEvents();
        var main = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var append = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)))) append.AppendFile(f);
        var staged = append.ToBranch("staging").Commit();

        Assert.That(table.Metadata.CurrentSnapshotId, Is.EqualTo(main.SnapshotId));
        Assert.That(TestTables.Read(new TableScan(table)).Count, Is.EqualTo(3));
        Assert.That(TestTables.Read(new TableScan(table).UseRef("staging")).Count, Is.EqualTo(6));
        Assert.That(staged.ParentSnapshotId, Is.EqualTo(main.SnapshotId));
    }

    [Test]
    public void Commit_StaleBase_IsRetriedAndBothAppendsLand()
    {
        var table = _t.CreateEvents();
        var other = _t.Warehouse.LoadTable(table.Identifier);
        var slow = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 2, 0)))) slow.AppendFile(f);
        TestTables.Append(other, TestTables.Events(TestTables.Rows(new[] { 1 }, 2, 0)));

        slow.Commit();

        Assert.That(TestTables.Read(new TableScan(table.Refresh())).Count, Is.EqualTo(4));
        Assert.That(table.Metadata.Snapshots.Count, Is.EqualTo(2));
    }

    [Test]
    public void Overwrite_ConcurrentAppendToReplacedPartition_FailsWithConflict()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 2, 0)));
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 2, 9)))) overwrite.AddFile(f);
        TestTables.Append(_t.Warehouse.LoadTable(table.Identifier), TestTables.Events(TestTables.Rows(new[] { 0 }, 1, 5)));

        var error = Assert.Throws<FloeException>(() => overwrite.Commit());
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(TestTables.Read(new TableScan(table.Refresh())).Count, Is.EqualTo(3));
    }

    [Test]
    public void Overwrite_ConcurrentAppendToOtherPartition_Succeeds()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 5 }, 2, 0)));
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 9)))) overwrite.AddFile(f);
        TestTables.Append(_t.Warehouse.LoadTable(table.Identifier), TestTables.Events(TestTables.Rows(new[] { 7 }, 1, 5)));

        overwrite.Commit();

        var rows = TestTables.Read(new TableScan(table.Refresh()));
        Assert.That(rows.Count, Is.EqualTo(3 + 2 + 1));
    }

    [Test]
    public void Overwrite_ReplacePartitionWithoutFiles_EmptiesItAndKeepsTheOthers()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1, 2 }, 2, 0)));
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 9)))) overwrite.AddFile(f);
        // Day 1 gets no new file: replacing it must still remove its rows.
        overwrite.ReplacePartition(table.Spec.SpecId, new PartitionData([19724]));

        var snapshot = overwrite.Commit();

        var rows = TestTables.Read(new TableScan(table.Refresh()));
        Assert.That(rows.Count(r => r.Micros / TestTables.MicrosPerDay == 19723), Is.EqualTo(3));
        Assert.That(rows.Count(r => r.Micros / TestTables.MicrosPerDay == 19724), Is.Zero);
        Assert.That(rows.Count(r => r.Micros / TestTables.MicrosPerDay == 19725), Is.EqualTo(2));
        Assert.That(snapshot.Summary["deleted-data-files"], Is.EqualTo("2"));
    }

    [Test]
    public void Scan_FilterOnPartitionColumn_SkipsOtherDaysFiles()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(Enumerable.Range(0, 10), 3, 0)));
        var day3 = TestTables.Day0 + 3 * TestTables.MicrosPerDay;
        var filter = Floe.Iceberg.Expressions.ExpressionParser.Parse("event_time >= '2024-01-04T00:00:00Z' and event_time < '2024-01-05T00:00:00Z'", table.Schema);
        var scan = new TableScan(table).Filter(filter);
        var (tasks, metrics) = scan.PlanFiles();

        Assert.That(tasks.Count, Is.EqualTo(1));
        Assert.That(metrics.SkippedDataFiles, Is.EqualTo(9));
        Assert.That(TestTables.Read(scan).All(r => r.Micros >= day3 && r.Micros < day3 + TestTables.MicrosPerDay), Is.True);
        Assert.That(TestTables.Read(scan).Count, Is.EqualTo(3));
    }

    [Test]
    public void CreateTable_ExistingName_FailsWithAlreadyExists()
    {
        _t.CreateEvents();
        var error = Assert.Throws<FloeException>(() => _t.CreateEvents());
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.AlreadyExists));
    }

    [Test]
    public void Catalog_SwapWithStaleLocation_Conflicts()
    {
        var table = _t.CreateEvents();
        var catalog = _t.Warehouse.Catalog;
        catalog.SwapMetadataLocation(table.Identifier, table.MetadataLocation, table.MetadataLocation + ".next");
        var error = Assert.Throws<FloeException>(() => catalog.SwapMetadataLocation(table.Identifier, table.MetadataLocation, "x"));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
    }

    private static List<string> FilesOfDay(Floe.Iceberg.Tables.Table table, int day)
    {
        var (tasks, _) = new TableScan(table.Refresh()).PlanFiles();
        return tasks.Where(t => (int)t.File.Partition[0]! == 19723 + day).Select(t => t.File.FilePath).OrderBy(p => p).ToList();
    }
}
