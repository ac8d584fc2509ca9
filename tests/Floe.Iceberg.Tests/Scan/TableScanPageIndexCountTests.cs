using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
using Floe.Parquet;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// <see cref="TableScan.CountRows"/> with page pruning (pages of 64 rows, so the page index skips and proves pages
/// inside a row group) equals the count of rows a full scan returns (which decodes every page), for random
/// one-column filters over random data with sorted runs, nulls and NaN.
/// </summary>
[TestFixture]
public sealed class TableScanPageIndexCountTests
{
    // Seeds 22 and 23 draw the same premise as seed 21 anew: the deep pass only.
    [TestCase(21)]
    [TestCase(22, Category = TestTier.Deep)]
    [TestCase(23, Category = TestTier.Deep)]
    public void CountRows_PagePruned_EqualsCountOfScannedRows(int seed)
    {
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(Floe.Iceberg.Catalog.TableIdentifier.Parse("demo.paged"), TestTables.EventsSchema,
            Floe.Iceberg.Spec.PartitionSpec.Unpartitioned, new Dictionary<string, string> { ["write.parquet.page-row-limit"] = "64" });
        var rng = new Random(seed);
        for (var file = 0; file < 2; file++)
        {
            var rows = new List<(long Entity, long Micros, double? Amount)>();
            var n = rng.Next(1500, 4000);
            for (var i = 0; i < n; i++)
            {
                // Time ascends (pages get disjoint ranges); amounts ascend in the first half and are random after.
                double? amount = rng.Next(40) switch { 0 => null, 1 => double.NaN, _ => i < n / 2 ? i / 10.0 : rng.Next(-400, 4000) / 10.0 };
                long entity = i % 500 < 250 ? i / 100 : rng.Next(0, 60);
                rows.Add((entity, TestTables.Day0 + i * 1000L + rng.Next(0, 999), amount));
            }
            TestTables.Append(table, TestTables.Events(rows));
        }
        var task = new TableScan(table).PlanFiles().Tasks[0];
        using (var reader = ParquetDataReader.Open(table.Io, task.File.FilePath, table.Schema))
        {
            Assert.That(reader.PageIndex(0, 3)!.Count, Is.GreaterThan(10), "the test needs many pages per row group");
        }
        var ops = new[] { Operation.Eq, Operation.NotEq, Operation.Lt, Operation.LtEq, Operation.Gt, Operation.GtEq, Operation.IsNull, Operation.NotNull };
        for (var k = 0; k < 60; k++)
        {
            var filter = Random(table, rng, ops, rng.Next(3));
            // A range on the same column keeps the filter on one column (the page path); sometimes a second column.
            if (rng.Next(2) == 0) filter = Expression.And(filter, Random(table, rng, ops, rng.Next(4) == 0 ? rng.Next(3) : ColumnOf(filter)));
            if (rng.Next(6) == 0) filter = Expression.Not(filter);
            var scan = new TableScan(table).Filter(filter);
            var expected = TestTables.Read(scan).Count;
            Assert.That(scan.CountRows(scan.PlanFiles().Tasks), Is.EqualTo(expected), filter.ToString());
        }
    }

    private static int ColumnOf(Expression filter) => filter is BoundPredicate p ? p.FieldId - 1 : 0;

    private static Expression Random(Floe.Iceberg.Tables.Table table, Random rng, Operation[] ops, int column)
    {
        var op = ops[rng.Next(ops.Length)];
        var name = column switch { 0 => "entity_id", 1 => "event_time", _ => "amount" };
        if (op is Operation.IsNull or Operation.NotNull) return BoundPredicate.Bind(table.Schema, name, op);
        return column switch
        {
            0 => BoundPredicate.Bind(table.Schema, name, op, (long)rng.Next(-2, 45)),
            1 => BoundPredicate.Bind(table.Schema, name, op, TestTables.Day0 + rng.Next(-10, 4100) * 1000L + rng.Next(0, 999)),
            _ => BoundPredicate.Bind(table.Schema, name, op, rng.Next(-50, 420) / 1.0),
        };
    }
}
