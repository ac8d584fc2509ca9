using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
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

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
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
