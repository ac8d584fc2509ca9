using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;
using Row = (long Entity, long Micros, double? Amount);

namespace Floe.Iceberg.Tests.Maintenance;

/// <summary>Row-level deletes checked against an in-memory model of the rows, on random tables and filters.</summary>
[TestFixture]
public sealed class DeleteRowsTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    /// <summary>A filter as text for the engine and as a predicate for the model (null amount never matches a comparison).</summary>
    private static (string Text, Func<Row, bool> Match) RandomFilter(Random random)
    {
        var entity = random.Next(7);
        var amount = Math.Round(random.NextDouble() * 20, 1);
        var day = random.Next(1, 5);
        var cut = TestTables.Day0 + day * TestTables.MicrosPerDay;
        var dayText = DateTimeOffset.UnixEpoch.AddTicks(cut * 10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var amountText = amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return random.Next(5) switch
        {
            0 => ($"entity_id = {entity}", r => r.Entity == entity),
            1 => ($"amount > {amountText}", r => r.Amount > amount),
            2 => ($"entity_id = {entity} and amount < {amountText}", r => r.Entity == entity && r.Amount < amount),
            3 => ($"event_time < '{dayText}'", r => r.Micros < cut),
            _ => ($"entity_id = {entity} or event_time >= '{dayText}'", r => r.Entity == entity || r.Micros >= cut),
        };
    }

    // Seeds 3 and 4 repeat seeds 1 and 2 (partitioned, unpartitioned) with other draws: the deep pass only.
    [TestCase(1, true)]
    [TestCase(2, false)]
    [TestCase(3, true, Category = TestTier.Deep)]
    [TestCase(4, false, Category = TestTier.Deep)]
    public void Delete_RandomFiltersOnRandomTable_LeaveExactlyTheModelRows(int seed, bool partitioned)
    {
        var random = new Random(seed);
        var table = partitioned ? _t.CreateEvents() : _t.CreateEvents(spec: Floe.Iceberg.Spec.PartitionSpec.Unpartitioned);
        var model = new List<Row>();
        for (var a = 0; a < 3; a++)
        {
            var rows = new List<Row>();
            var n = random.Next(5, 60);
            for (var i = 0; i < n; i++)
            {
                double? amount = random.Next(8) == 0 ? null : Math.Round(random.NextDouble() * 20, 2);
                rows.Add((random.Next(7), TestTables.Day0 + random.NextInt64(6 * TestTables.MicrosPerDay), amount));
            }
            TestTables.Append(table, TestTables.Events(rows));
            model.AddRange(rows);
        }
        var history = new List<(long Snapshot, List<Row> Rows)>();
        for (var step = 0; step < 4; step++)
        {
            table = table.Refresh();
            var (text, match) = RandomFilter(random);
            history.Add((table.Metadata.CurrentSnapshotId!.Value, model.OrderBy(r => r).ToList()));
            var expectedDeleted = model.Count(match);
            var result = new DeleteRows(table, ExpressionParser.Parse(text, table.Schema)).Set("floe.reason", "test").Execute();
            model.RemoveAll(r => match(r));
            Assert.That(result.DeletedRows, Is.EqualTo(expectedDeleted), text);
            Assert.That(result.SnapshotId is null, Is.EqualTo(expectedDeleted == 0), text);
            table = table.Refresh();
            Same.Sequence(TestTables.Read(new TableScan(table)), model.OrderBy(r => r).ToList(), text);
            if (result.SnapshotId is { } id)
            {
                var snapshot = table.Metadata.SnapshotById(id)!;
                Assert.That(snapshot.Operation, Is.EqualTo("overwrite"));
                Assert.That(snapshot.Summary[DeleteRows.DeletedRowsSummaryKey], Is.EqualTo(expectedDeleted.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(snapshot.Summary["floe.reason"], Is.EqualTo("test"));
            }
        }
        foreach (var (snapshot, rows) in history)
        {
            Same.Sequence(TestTables.Read(new TableScan(table).UseSnapshot(snapshot)), rows, $"time travel to {snapshot}");
        }
    }

    [Test]
    public void Delete_WhenAConcurrentAppendAddsMatchingRows_ConflictsAndKeepsTheHead()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 4, 0)));
        var stale = _t.Warehouse.LoadTable(TableIdentifier.Parse("demo.events"));
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 4, 100)));
        var head = table.Refresh().Metadata.CurrentSnapshotId;

        var error = Assert.Throws<FloeException>(() => new DeleteRows(stale, ExpressionParser.Parse("amount > 1", stale.Schema)).Execute());

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(table.Refresh().Metadata.CurrentSnapshotId, Is.EqualTo(head));
        Assert.That(TestTables.Read(new TableScan(table.Refresh())).Count, Is.EqualTo(12));
    }
}
