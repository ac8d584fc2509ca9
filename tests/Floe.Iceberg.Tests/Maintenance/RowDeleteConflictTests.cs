using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Maintenance;

/// <summary>
/// Concurrent row deletes against appends, deletes and compactions: a delete planned on a stale view of the table
/// (loaded before the other commit) either conflicts and leaves the head alone, or lands with the right rows.
/// </summary>
[TestFixture]
public sealed class RowDeleteConflictTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static readonly TableIdentifier Id = TableIdentifier.Parse("demo.events");

    private static IEnumerable<TestCaseData> Forms()
    {
        yield return new TestCaseData(2, RowDeleteMode.CopyOnWrite);
        yield return new TestCaseData(2, RowDeleteMode.MergeOnRead);
        yield return new TestCaseData(3, RowDeleteMode.MergeOnRead);
    }

    private Floe.Iceberg.Tables.Table Seed(int version, RowDeleteMode mode, string isolation)
    {
        var table = RowDeleteTables.Create(_t, version, mode, partitioned: true,
            extra: new Dictionary<string, string> { [RowDeleteProperties.IsolationLevel] = isolation });
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 10, 0)));
        return table.Refresh();
    }

    [TestCaseSource(nameof(Forms))]
    public void Delete_Serializable_ConcurrentAppendOfMatchingRows_Conflicts(int version, RowDeleteMode mode)
    {
        var table = Seed(version, mode, "serializable");
        var stale = _t.Warehouse.LoadTable(Id);
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 10, 100)));
        var head = table.Refresh().Metadata.CurrentSnapshotId;

        var error = Assert.Throws<FloeException>(() => new DeleteRows(stale, ExpressionParser.Parse("entity_id = 1", stale.Schema)).Execute());

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(table.Refresh().Metadata.CurrentSnapshotId, Is.EqualTo(head));
        Assert.That(TestTables.Read(new TableScan(table.Refresh())), Has.Count.EqualTo(30));
    }

    [TestCaseSource(nameof(Forms))]
    public void Delete_SnapshotIsolation_ConcurrentAppend_MergesAndKeepsTheAppendedRows(int version, RowDeleteMode mode)
    {
        var table = Seed(version, mode, "snapshot");
        var stale = _t.Warehouse.LoadTable(Id);
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 10, 100)));

        var result = new DeleteRows(stale, ExpressionParser.Parse("entity_id = 1", stale.Schema)).Execute();

        // The delete saw only the rows of its snapshot: the appended entity-1 rows stay (snapshot isolation).
        var rows = TestTables.Read(new TableScan(table.Refresh()));
        Assert.That(result.DeletedRows, Is.EqualTo(4));
        Assert.That(rows, Has.Count.EqualTo(26));
        Assert.That(rows.Count(r => r.Entity == 1), Is.EqualTo(2));
        Assert.That(rows.Where(r => r.Entity == 1).All(r => r.Amount >= 100), Is.True);
    }

    [TestCaseSource(nameof(Forms))]
    public void ConcurrentDeletes_OfTheSameDataFile_SecondConflicts(int version, RowDeleteMode mode)
    {
        var table = Seed(version, mode, "snapshot");
        var stale = _t.Warehouse.LoadTable(Id);
        new DeleteRows(table, ExpressionParser.Parse("entity_id = 2", table.Schema)).Execute();
        var head = table.Refresh().Metadata.CurrentSnapshotId;

        var error = Assert.Throws<FloeException>(() => new DeleteRows(stale, ExpressionParser.Parse("entity_id = 3", stale.Schema)).Execute());

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(table.Refresh().Metadata.CurrentSnapshotId, Is.EqualTo(head));
        var rows = TestTables.Read(new TableScan(table.Refresh()));
        Assert.That(rows.Any(r => r.Entity == 2), Is.False);
        Assert.That(rows.Count(r => r.Entity == 3), Is.EqualTo(2));
    }

    [TestCaseSource(nameof(Forms))]
    public void ConcurrentDeletes_OfDifferentPartitions_BothLand(int version, RowDeleteMode mode)
    {
        var table = Seed(version, mode, "serializable");
        var stale = _t.Warehouse.LoadTable(Id);
        var day1 = DateTimeOffset.UnixEpoch.AddTicks((TestTables.Day0 + TestTables.MicrosPerDay) * 10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        new DeleteRows(table, ExpressionParser.Parse($"entity_id = 2 and event_time < '{day1}'", table.Schema)).Execute();

        new DeleteRows(stale, ExpressionParser.Parse($"entity_id = 3 and event_time >= '{day1}'", stale.Schema)).Execute();

        var rows = TestTables.Read(new TableScan(table.Refresh()));
        // Rows(i % 7) puts entity 2 at rows 2 and 9 and entity 3 at row 3 of each day.
        Assert.That(rows, Has.Count.EqualTo(17));
        Assert.That(rows.Count(r => r.Entity == 2), Is.EqualTo(2));
        Assert.That(rows.Count(r => r.Entity == 3), Is.EqualTo(1));
    }

    [TestCaseSource(nameof(Forms))]
    public void Delete_AfterConcurrentCompactionOfItsFile_Conflicts(int version, RowDeleteMode mode)
    {
        var table = Seed(version, mode, "snapshot");
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 10, 100)));
        table = table.Refresh();
        var stale = _t.Warehouse.LoadTable(Id);
        Assert.That(new RewriteDataFiles(table).Execute().SnapshotId, Is.Not.Null);
        var head = table.Refresh().Metadata.CurrentSnapshotId;

        var error = Assert.Throws<FloeException>(() => new DeleteRows(stale, ExpressionParser.Parse("entity_id = 1", stale.Schema)).Execute());

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(table.Refresh().Metadata.CurrentSnapshotId, Is.EqualTo(head));
    }
}
