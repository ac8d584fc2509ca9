using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
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
public sealed class RewriteDataFilesTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private Floe.Iceberg.Tables.Table FragmentedTable(int appends)
    {
        var table = _t.CreateEvents();
        for (var i = 0; i < appends; i++) TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 4, i * 10)));
        return table.Refresh();
    }

    private static int FileCount(Floe.Iceberg.Tables.Table table, string? filter = null)
    {
        var scan = new TableScan(table.Refresh());
        if (filter is not null) scan = scan.Filter(ExpressionParser.Parse(filter, table.Schema));
        return scan.PlanFiles().Tasks.Count;
    }

    [Test]
    public void Compact_All_KeepsExactRowsAndReducesFiles()
    {
        var table = FragmentedTable(5);
        var before = TestTables.Read(new TableScan(table));
        var previous = table.Metadata.CurrentSnapshot!;
        Assert.That(FileCount(table), Is.EqualTo(10));

        var result = new RewriteDataFiles(table).Execute();

        Assert.That(result.SnapshotId, Is.Not.Null);
        Assert.That(result.RewrittenFiles, Is.EqualTo(10));
        Assert.That(result.AddedFiles, Is.EqualTo(2));
        Assert.That(result.Rows, Is.EqualTo(40));
        Assert.That(FileCount(table), Is.EqualTo(2));
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), before);
        var snapshot = table.Metadata.CurrentSnapshot!;
        Assert.That(snapshot.Operation, Is.EqualTo("replace"));
        Assert.That(snapshot.Summary["total-records"], Is.EqualTo(previous.Summary["total-records"]));
        Assert.That(snapshot.Summary["deleted-data-files"], Is.EqualTo("10"));
        Assert.That(snapshot.Summary["added-data-files"], Is.EqualTo("2"));
        // The old snapshot still reads its own files.
        Same.Sequence(TestTables.Read(new TableScan(table).UseSnapshot(previous.SnapshotId)), before);
    }

    [Test]
    public void Compact_WithPartitionFilter_RewritesOnlyThosePartitions()
    {
        var table = FragmentedTable(3);
        var before = TestTables.Read(new TableScan(table));
        const string day0 = "event_time < '2024-01-02T00:00:00Z'";

        var result = new RewriteDataFiles(table).Filter(ExpressionParser.Parse("event_time >= '2024-01-01T00:00:02Z' and " + day0, table.Schema)).Execute();

        Assert.That(result.RewrittenPartitions, Is.EqualTo(1));
        Assert.That(FileCount(table, day0), Is.EqualTo(1));
        Assert.That(FileCount(table, "event_time >= '2024-01-02T00:00:00Z'"), Is.EqualTo(3));
        // The filter chose the partition; rows of day 0 outside the filter were copied too.
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), before);
    }

    [Test]
    public void Compact_NothingSmallEnough_CommitsNothing()
    {
        var table = FragmentedTable(1);
        var location = table.MetadataLocation;

        var result = new RewriteDataFiles(table).Execute();

        Assert.That(result.SnapshotId, Is.Null);
        Assert.That(table.Refresh().MetadataLocation, Is.EqualTo(location));
    }

    [Test]
    public void Compact_TargetFileSize_SplitsOutput()
    {
        var table = FragmentedTable(2);
        var before = TestTables.Read(new TableScan(table));

        var result = new RewriteDataFiles(table).TargetFileSizeBytes(1).MinFileSizeBytes(1L << 30).Execute();

        Assert.That(result.AddedFiles, Is.GreaterThan(2));
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), before);
    }

    [Test]
    public void RewriteFiles_ConcurrentOverwriteOfRewrittenFiles_Conflicts()
    {
        var table = FragmentedTable(2);
        var stale = _t.Warehouse.LoadTable(table.Identifier);
        var day0Files = new TableScan(stale).Filter(ExpressionParser.Parse("event_time < '2024-01-02T00:00:00Z'", stale.Schema)).PlanFiles().Tasks.Select(t => t.File).ToList();
        var replacement = TestTables.Write(stale, TestTables.Events(TestTables.Rows(new[] { 0 }, 8, 0)));
        TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 1, 99)));

        var rewrite = new RewriteFiles(stale);
        foreach (var f in day0Files) rewrite.DeleteFile(f);
        foreach (var f in replacement) rewrite.AddFile(f);
        var e = Assert.Throws<FloeException>(() => rewrite.Commit());

        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(e.Message, Does.Contain("removed"));
        Assert.That(TestTables.Read(new TableScan(table.Refresh())), Has.Count.EqualTo(1 + 8));
    }

    [Test]
    public void RewriteFiles_ConcurrentAppend_IsMerged()
    {
        var table = FragmentedTable(2);
        var stale = _t.Warehouse.LoadTable(table.Identifier);
        var before = TestTables.Read(new TableScan(stale));
        var tasks = new TableScan(stale).PlanFiles().Tasks;
        using (var writer = new Floe.Iceberg.Writing.PartitionedWriter(stale))
        {
            foreach (var b in new TableScan(stale).ReadBatches(tasks)) writer.Write(b);
            var rewrite = new RewriteFiles(stale);
            foreach (var t in tasks) rewrite.DeleteFile(t.File);
            foreach (var f in writer.Complete()) rewrite.AddFile(f);
            var extra = TestTables.Rows(new[] { 5 }, 2, 0);
            TestTables.Append(table, TestTables.Events(extra));

            rewrite.Commit();

            Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), before.Concat(extra).OrderBy(r => r).ToList());
            Assert.That(table.Metadata.CurrentSnapshot!.Operation, Is.EqualTo("replace"));
        }
    }
}
