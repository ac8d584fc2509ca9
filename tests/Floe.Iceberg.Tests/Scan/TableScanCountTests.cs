using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// <see cref="TableScan.CountRows"/> (filter columns only, SIMD bitmaps, metrics-proven files, parallel files) equals
/// a count over the rows a full scan returns, for random filters over random data with nulls and NaN.
/// </summary>
[TestFixture]
public sealed class TableScanCountTests
{
    private static readonly Operation[] Ops = { Operation.Eq, Operation.NotEq, Operation.Lt, Operation.LtEq, Operation.Gt, Operation.GtEq, Operation.IsNull, Operation.NotNull };

    // Seeds 2 and 3 draw the same premise as seed 1 anew: the deep pass only.
    [TestCase(1)]
    [TestCase(2, Category = TestTier.Deep)]
    [TestCase(3, Category = TestTier.Deep)]
    public void CountRows_RandomFilters_EqualsCountOfScannedRows(int seed)
    {
        using var tables = new TestTables();
        var table = tables.CreateEvents();
        var rng = new Random(seed);
        for (var file = 0; file < 4; file++)
        {
            var rows = new List<(long Entity, long Micros, double? Amount)>();
            var n = rng.Next(0, 300);
            for (var i = 0; i < n; i++)
            {
                double? amount = rng.Next(8) switch { 0 => null, 1 => double.NaN, _ => rng.Next(-40, 41) / 4.0 };
                rows.Add((rng.Next(0, 10), TestTables.Day0 + rng.Next(0, 3) * TestTables.MicrosPerDay + rng.Next(0, 1000), amount));
            }
            TestTables.Append(table, TestTables.Events(rows));
        }
        var all = TestTables.Read(new TableScan(table));
        for (var k = 0; k < 40; k++)
        {
            var filter = RandomFilter(table, rng);
            if (rng.Next(3) == 0) filter = Expression.And(filter, RandomFilter(table, rng));
            if (rng.Next(5) == 0) filter = Expression.Not(filter);
            var scan = new TableScan(table).Filter(filter);
            var expected = TestTables.Read(scan).Count;
            Assert.That(scan.CountRows(scan.PlanFiles().Tasks), Is.EqualTo(expected), filter.ToString());
        }
        var unfiltered = new TableScan(table);
        Assert.That(unfiltered.CountRows(unfiltered.PlanFiles().Tasks), Is.EqualTo(all.Count));
    }

    [Test]
    public void CountRows_ManyRowGroupsWithDisjointRanges_EqualsScalarCount()
    {
        // Row groups of 4096 rows over sorted amounts: some are pruned by their statistics, some proven whole,
        // the one straddling each literal is decoded; a null run and NaNs sit in the middle.
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(Floe.Iceberg.Catalog.TableIdentifier.Parse("demo.sorted"), TestTables.EventsSchema,
            Floe.Iceberg.Spec.PartitionSpec.Unpartitioned, new Dictionary<string, string> { ["write.parquet.row-group-size-bytes"] = "1" });
        var rows = new List<(long Entity, long Micros, double? Amount)>();
        for (var i = 0; i < 20_000; i++)
        {
            double? amount = i is >= 9000 and < 9100 ? null : i % 997 == 0 ? double.NaN : i / 100.0;
            rows.Add((i % 7, TestTables.Day0 + i, amount));
        }
        TestTables.Append(table, TestTables.Events(rows));
        var file = new TableScan(table).PlanFiles().Tasks[0].File.FilePath;
        using (var reader = Floe.Parquet.ParquetDataReader.Open(table.Io, file))
        {
            Assert.That(reader.RowGroupCount, Is.GreaterThan(3), "the test needs several row groups");
        }
        foreach (var literal in new[] { -1.0, 0.0, 40.95, 41.0, 90.5, 123.45, 199.99, 250.0 })
        {
            foreach (var op in new[] { Operation.Lt, Operation.LtEq, Operation.Gt, Operation.GtEq, Operation.Eq, Operation.NotEq })
            {
                var filter = BoundPredicate.Bind(table.Schema, "amount", op, literal);
                var expected = 0L;
                foreach (var (_, _, amount) in rows)
                {
                    if (amount is not { } a || double.IsNaN(a)) continue;
                    var match = op switch
                    {
                        Operation.Lt => a < literal,
                        Operation.LtEq => a <= literal,
                        Operation.Gt => a > literal,
                        Operation.GtEq => a >= literal,
                        Operation.Eq => a == literal,
                        _ => a != literal,
                    };
                    expected += match ? 1 : 0;
                }
                var scan = new TableScan(table).Filter(filter);
                Assert.That(scan.CountRows(scan.PlanFiles().Tasks), Is.EqualTo(expected), filter.ToString());
            }
        }
        foreach (var op in new[] { Operation.IsNull, Operation.NotNull })
        {
            var scan = new TableScan(table).Filter(BoundPredicate.Bind(table.Schema, "amount", op));
            Assert.That(scan.CountRows(scan.PlanFiles().Tasks), Is.EqualTo(op == Operation.IsNull ? 100 : 19_900));
        }
    }

    private static Expression RandomFilter(Floe.Iceberg.Tables.Table table, Random rng)
    {
        var op = Ops[rng.Next(Ops.Length)];
        switch (rng.Next(3))
        {
            case 0:
                return op is Operation.IsNull or Operation.NotNull
                    ? BoundPredicate.Bind(table.Schema, "amount", op)
                    : BoundPredicate.Bind(table.Schema, "amount", op, rng.Next(-44, 45) / 4.0);
            case 1:
                return op is Operation.IsNull or Operation.NotNull
                    ? BoundPredicate.Bind(table.Schema, "entity_id", op)
                    : BoundPredicate.Bind(table.Schema, "entity_id", op, (long)rng.Next(-1, 11));
            default:
                return op is Operation.IsNull or Operation.NotNull
                    ? BoundPredicate.Bind(table.Schema, "event_time", op)
                    : BoundPredicate.Bind(table.Schema, "event_time", op, TestTables.Day0 + rng.Next(0, 3) * TestTables.MicrosPerDay + rng.Next(-10, 1010));
        }
    }
}
