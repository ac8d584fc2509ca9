using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

[TestFixture]
public sealed class TableScanPlanningTests
{
    [Test]
    public void PlanFiles_OneDayFilter_OpensOnlyManifestsWhoseSummariesMatch()
    {
        using var tables = new TestTables();
        var table = tables.CreateEvents();
        for (var day = 0; day < 5; day++) TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { day }, 2, day)));
        var start = TestTables.Day0 + 2 * TestTables.MicrosPerDay;
        var filter = Expression.And(
            BoundPredicate.Bind(table.Schema, "event_time", Operation.GtEq, start),
            BoundPredicate.Bind(table.Schema, "event_time", Operation.Lt, start + TestTables.MicrosPerDay));

        var (tasks, metrics) = new TableScan(table).Filter(filter).PlanFiles();

        Assert.That(metrics.TotalManifests, Is.EqualTo(5));
        Assert.That(metrics.SkippedManifests, Is.EqualTo(4));
        Assert.That(tasks, Has.Count.EqualTo(1));
    }

    [Test]
    public void PlanFiles_ManifestWithOnlyDeletedEntries_IsSkippedWithoutChangingRows()
    {
        using var tables = new TestTables();
        var table = tables.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 2, 10)));

        var (tasks, metrics) = new TableScan(table).PlanFiles();

        Assert.That(metrics.TotalManifests, Is.EqualTo(2));
        Assert.That(metrics.SkippedManifests, Is.EqualTo(1), "the rewritten manifest holds only the deleted file");
        Assert.That(tasks, Has.Count.EqualTo(1));
        Assert.That(TestTables.Read(new TableScan(table)), Has.Count.EqualTo(2));
    }
}
