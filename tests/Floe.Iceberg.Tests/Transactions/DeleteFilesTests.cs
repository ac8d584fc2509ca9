using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions;

[TestFixture]
public sealed class DeleteFilesTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    [Test]
    public void Delete_PartitionRange_RemovesExactlyThoseDaysAndKeepsOthers()
    {
        var table = _t.CreateEvents();
        var rows = TestTables.Rows(Enumerable.Range(0, 6), 4, 0);
        TestTables.Append(table, TestTables.Events(rows));
        var before = table.Metadata.CurrentSnapshotId!.Value;

        var delete = new DeleteFiles(table, ExpressionParser.Parse("event_time < '2024-01-03T00:00:00Z'", table.Schema));
        var snapshot = delete.Commit();

        var expected = rows.Where(r => r.Micros >= TestTables.Day0 + 2 * TestTables.MicrosPerDay).OrderBy(r => r).ToList();
        Same.Sequence(TestTables.Read(new TableScan(table)), expected);
        Assert.That(delete.DeletedFiles, Is.EqualTo(2));
        Assert.That(snapshot.Operation, Is.EqualTo("delete"));
        Assert.That(snapshot.Summary["deleted-records"], Is.EqualTo("8"));
        Assert.That(snapshot.Summary["total-records"], Is.EqualTo("16"));
        Assert.That(TestTables.Read(new TableScan(table).UseSnapshot(before)).Count, Is.EqualTo(24));
    }

    [Test]
    public void Delete_FilterCuttingThroughAFile_IsRefusedAndChangesNothing()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 4, 0)));
        var head = table.Metadata.CurrentSnapshotId;

        var error = Assert.Throws<FloeException>(() => new DeleteFiles(table, ExpressionParser.Parse("amount > 1", table.Schema)).Commit());

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(error.Message, Does.Contain(".parquet"));
        Assert.That(table.Refresh().Metadata.CurrentSnapshotId, Is.EqualTo(head));
        Assert.That(TestTables.Read(new TableScan(table)).Count, Is.EqualTo(8));
    }

    [Test]
    public void Delete_IdentityPartitionValue_UsesThePartitionValueExactly()
    {
        var spec = new PartitionSpec(0, new[] { new PartitionField(1, 1000, "entity_id", Transform.Identity) });
        var table = _t.CreateEvents("demo.byentity", spec);
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 7, 0)));

        new DeleteFiles(table, ExpressionParser.Parse("entity_id in (2, 3)", table.Schema)).Commit();

        var left = TestTables.Read(new TableScan(table));
        Assert.That(left.Select(r => r.Entity).Distinct().OrderBy(e => e), Is.EqualTo(new long[] { 0, 1, 4, 5, 6 }));
    }

    [Test]
    public void StrictEvaluator_NullsInColumn_NeverClaimAllRowsMatch()
    {
        var file = new DataFile
        {
            FilePath = "f.parquet",
            Partition = PartitionData.Empty,
            RecordCount = 10,
            NullValueCounts = new Dictionary<int, long> { [3] = 1 },
            NanValueCounts = new Dictionary<int, long> { [3] = 0 },
            LowerBounds = new Dictionary<int, byte[]> { [3] = Conversions.ToBytes(PrimitiveType.Double, 5.0) },
            UpperBounds = new Dictionary<int, byte[]> { [3] = Conversions.ToBytes(PrimitiveType.Double, 9.0) },
        };
        var schema = TestTables.EventsSchema;
        Assert.That(new StrictMetricsEvaluator(ExpressionParser.Parse("amount > 1", schema), PartitionSpec.Unpartitioned).AllMatch(file), Is.False);
        Assert.That(new StrictMetricsEvaluator(ExpressionParser.Parse("amount > 1 or amount is null", schema), PartitionSpec.Unpartitioned).AllMatch(file), Is.False);
        var noNulls = file with { NullValueCounts = new Dictionary<int, long> { [3] = 0 } };
        Assert.That(new StrictMetricsEvaluator(ExpressionParser.Parse("amount > 1", schema), PartitionSpec.Unpartitioned).AllMatch(noNulls), Is.True);
        Assert.That(new StrictMetricsEvaluator(ExpressionParser.Parse("amount > 5", schema), PartitionSpec.Unpartitioned).AllMatch(noNulls), Is.False);
        Assert.That(new StrictMetricsEvaluator(ExpressionParser.Parse("not (amount < 5)", schema), PartitionSpec.Unpartitioned).AllMatch(noNulls), Is.True);
    }
}
