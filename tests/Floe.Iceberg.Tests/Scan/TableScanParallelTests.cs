using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// A scan on several threads (<see cref="TableScan.WithThreads"/>) returns the very batches a serial scan returns,
/// in the same order, and counts the same rows, on random multi-file tables with many row groups.
/// </summary>
[TestFixture]
public sealed class TableScanParallelTests
{
    // Seed 3 repeats seed 2 (tiny row groups) with other draws: the deep pass only.
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3, Category = TestTier.Deep)]
    public void ReadBatches_RandomMultiFileTable_ParallelEqualsSerialInOrder(int seed)
    {
        using var tables = new TestTables();
        var rng = new Random(seed);
        // Tiny row groups in some tables so units are row groups as well as files.
        var properties = new Dictionary<string, string>();
        if (seed != 1) properties["write.parquet.row-group-size-bytes"] = "1";
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.events"), TestTables.EventsSchema, TestTables.DaySpec, properties);
        var files = rng.Next(2, 7);
        for (var file = 0; file < files; file++)
        {
            var rows = new List<(long Entity, long Micros, double? Amount)>();
            var n = rng.Next(0, 12_000);
            for (var i = 0; i < n; i++)
            {
                double? amount = rng.Next(10) == 0 ? null : rng.Next(-400, 401) / 4.0;
                rows.Add((rng.Next(0, 50), TestTables.Day0 + rng.Next(0, 4) * TestTables.MicrosPerDay + rng.Next(0, 100_000), amount));
            }
            TestTables.Append(table, TestTables.Events(rows));
        }
        var filters = new Expression[]
        {
            AlwaysTrue.Instance,
            BoundPredicate.Bind(table.Schema, "amount", Operation.Gt, 10.0),
            Expression.And(BoundPredicate.Bind(table.Schema, "entity_id", Operation.Lt, 20L), BoundPredicate.Bind(table.Schema, "amount", Operation.NotNull)),
            BoundPredicate.Bind(table.Schema, "event_time", Operation.GtEq, TestTables.Day0 + 2 * TestTables.MicrosPerDay),
        };
        foreach (var filter in filters)
        {
            var serialScan = new TableScan(table).Filter(filter).WithThreads(1);
            var serial = ReadInOrder(serialScan);
            Assert.That(serial.Rows, Has.Count.EqualTo(serialScan.CountRows(serialScan.PlanFiles().Tasks)), filter.ToString());
            foreach (var threads in new[] { 2, 3, 8, 64 })
            {
                var scan = new TableScan(table).Filter(filter).WithThreads(threads);
                var parallel = ReadInOrder(scan);
                Same.Sequence(parallel.BatchLengths, serial.BatchLengths, $"{filter} on {threads} threads: batch boundaries");
                Same.Sequence(parallel.Rows, serial.Rows, $"{filter} on {threads} threads: rows in order");
                Assert.That(scan.CountRows(scan.PlanFiles().Tasks), Is.EqualTo(serial.Rows.Count), $"{filter} on {threads} threads: count");
            }
        }
    }

    [Test]
    public void ReadBatches_OneFileManyRowGroupsMoreThreadsThanFiles_SplitsByRowGroupInOrder()
    {
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.sorted"), TestTables.EventsSchema,
            PartitionSpec.Unpartitioned, new Dictionary<string, string> { ["write.parquet.row-group-size-bytes"] = "1" });
        var rows = new List<(long Entity, long Micros, double? Amount)>();
        for (var i = 0; i < 30_000; i++) rows.Add((i % 7, TestTables.Day0 + i, i / 10.0));
        TestTables.Append(table, TestTables.Events(rows));
        var task = new TableScan(table).PlanFiles().Tasks.Single();
        using (var reader = Floe.Parquet.ParquetDataReader.Open(table.Io, task.File.FilePath))
        {
            Assert.That(reader.RowGroupCount, Is.GreaterThan(3), "the test needs several row groups");
        }
        var read = ReadInOrder(new TableScan(table).WithThreads(4));
        Same.Sequence(read.Rows, rows, "every row, in file order");
        Assert.That(read.BatchLengths, Has.Count.GreaterThan(3));
        var filtered = new TableScan(table).Filter(BoundPredicate.Bind(table.Schema, "amount", Operation.Lt, 1234.5)).WithThreads(4);
        Assert.That(filtered.CountRows(filtered.PlanFiles().Tasks), Is.EqualTo(12_345));
    }

    [Test]
    public void ReadBatches_SplitOffsetsMiscountingRowGroups_StillReadsEveryRowOnce()
    {
        // Units come from the manifest's split offsets; offsets from another writer may not match the footer.
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.sorted"), TestTables.EventsSchema,
            PartitionSpec.Unpartitioned, new Dictionary<string, string> { ["write.parquet.row-group-size-bytes"] = "1" });
        var rows = new List<(long Entity, long Micros, double? Amount)>();
        for (var i = 0; i < 20_000; i++) rows.Add((i % 5, TestTables.Day0 + i, i / 4.0));
        TestTables.Append(table, TestTables.Events(rows));
        TestTables.Append(table, TestTables.Events(rows));
        var scan = new TableScan(table).WithThreads(3);
        var tasks = scan.PlanFiles().Tasks;
        var expected = ReadInOrder(new TableScan(table).WithThreads(1)).Rows;
        foreach (var offsets in new[] { null, new List<long> { 4 }, new List<long> { 4, 100 }, Enumerable.Range(0, 40).Select(i => 4L + i).ToList() })
        {
            var altered = tasks.Select(t => t with { File = t.File with { SplitOffsets = offsets } }).ToList();
            var rowsRead = new List<(long, long, double?)>();
            foreach (var batch in scan.ReadBatches(altered))
            {
                var ids = (Int64Array)batch.Column(0);
                var times = (TimestampArray)batch.Column(1);
                var amounts = (DoubleArray)batch.Column(2);
                for (var i = 0; i < batch.Length; i++) rowsRead.Add((ids.GetValue(i)!.Value, times.Values[i], amounts.GetValue(i)));
            }
            Same.Sequence(rowsRead, expected, $"{offsets?.Count ?? 0} split offsets");
            Assert.That(scan.CountRows(altered), Is.EqualTo(40_000));
        }
    }

    [Test]
    public void ReadBatches_CallerStopsAfterFirstBatch_LeavesNothingRunningAndRereads()
    {
        using var tables = new TestTables();
        var table = tables.CreateEvents();
        for (var file = 0; file < 6; file++) TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { file % 3 }, 500, file)));
        var scan = new TableScan(table).WithThreads(2);
        var tasks = scan.PlanFiles().Tasks;
        using (var enumerator = scan.ReadBatches(tasks).GetEnumerator())
        {
            Assert.That(enumerator.MoveNext(), Is.True);
            Assert.That(enumerator.Current.Length, Is.EqualTo(500));
        }
        Assert.That(ReadInOrder(scan).Rows, Has.Count.EqualTo(3000));
    }

    [Test]
    public void WithThreads_BelowOne_IsRejected()
    {
        using var tables = new TestTables();
        var table = tables.CreateEvents();
        var error = Assert.Throws<FloeException>(() => new TableScan(table).WithThreads(0));
        Assert.That(error!.Message, Does.Contain("thread count"));
    }

    private static (List<(long Entity, long Micros, double? Amount)> Rows, List<int> BatchLengths) ReadInOrder(TableScan scan)
    {
        var rows = new List<(long, long, double?)>();
        var lengths = new List<int>();
        foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
        {
            lengths.Add(batch.Length);
            var ids = (Int64Array)batch.Column(0);
            var times = (TimestampArray)batch.Column(1);
            var amounts = (DoubleArray)batch.Column(2);
            for (var i = 0; i < batch.Length; i++) rows.Add((ids.GetValue(i)!.Value, times.Values[i], amounts.GetValue(i)));
        }
        return (rows, lengths);
    }
}
