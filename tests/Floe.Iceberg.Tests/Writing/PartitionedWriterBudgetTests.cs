using Floe.Tests.Shared;
using NUnit.Framework;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;

namespace Floe.Iceberg.Tests.Writing;

public sealed class PartitionedWriterBudgetTests
{
    // Budgets above what 40 open files hold empty (about 55 KB each: their first buffers and dictionary tables).
    // 6 MiB repeats the 3 MiB case's premise (40 open files over a budget that must cut their row groups) at twice the
    // budget: the deep pass only.
    [TestCase(3 * 1024 * 1024, 40)]
    [TestCase(6 * 1024 * 1024, 40, Category = TestTier.Deep)]
    [TestCase(64 * 1024 * 1024, 3)]
    public void MemoryHeldByOpenFilesStaysWithinTheBudgetAndEveryRowArrives(int budget, int days)
    {
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.events"), TestTables.EventsSchema, TestTables.DaySpec,
            new Dictionary<string, string> { [PartitionedWriter.BufferBudgetProperty] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var random = new Random(budget + days);
        // Sized up front: growing lists of 300,000 rows copied and zeroed ~10 MB of fresh pages at each doubling.
        var expected = new List<(long Entity, long Micros, double? Amount)>(30 * 10_000);
        var files = new List<DataFile>();
        using (var writer = new PartitionedWriter(table))
        {
            for (var b = 0; b < 30; b++)
            {
                // Rows scattered over every day, so every partition's file stays open and keeps growing.
                var rows = new List<(long, long, double?)>(10_000);
                for (var i = 0; i < 10_000; i++)
                {
                    var day = random.Next(days);
                    var micros = TestTables.Day0 + day * TestTables.MicrosPerDay + random.NextInt64(TestTables.MicrosPerDay);
                    rows.Add((random.Next(1000), micros, random.Next(10) == 0 ? null : Math.Round(random.NextDouble() * 1000, 2)));
                }
                expected.AddRange(rows);
                writer.Write(TestTables.Events(rows));
                Assert.That(writer.RetainedBytes, Is.LessThanOrEqualTo(budget), $"after batch {b}");
            }
            files.AddRange(writer.Complete());
        }
        AssertCommittedRowsAre(tables, table, files, expected);
        Assert.That(files, Has.Count.EqualTo(days));
        // 300,000 rows of ~25 bytes (twice that in buffer capacity) cannot sit in the small budgets: their files
        // were cut into several row groups; the large one holds each day whole.
        var mostRowGroups = files.Max(f => f.SplitOffsets?.Count ?? 1);
        if (budget < 8 * 1024 * 1024) Assert.That(mostRowGroups, Is.GreaterThan(1));
        else Assert.That(mostRowGroups, Is.EqualTo(1));
    }

    [Test]
    public void RowsOverTheBudgetRawButUnderItCompressed_KeepOneRowGroupPerFile()
    {
        // 8 days of 40,000 time-ordered rows: about 8 MB raw (twice that in buffer capacity), far over a 4 MiB
        // budget, but a few bytes a row once encoded and compressed. The budget compresses the rows the finished days
        // still hold raw rather than cutting their row groups.
        const int budget = 4 * 1024 * 1024;
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.events"), TestTables.EventsSchema, TestTables.DaySpec,
            new Dictionary<string, string> { [PartitionedWriter.BufferBudgetProperty] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var expected = new List<(long Entity, long Micros, double? Amount)>(8 * 4 * 10_000);
        var files = new List<DataFile>();
        using (var writer = new PartitionedWriter(table))
        {
            for (var day = 0; day < 8; day++)
            {
                for (var b = 0; b < 4; b++)
                {
                    var rows = new List<(long, long, double?)>(10_000);
                    for (var i = 0; i < 10_000; i++)
                    {
                        var n = b * 10_000 + i;
                        rows.Add((n % 1000, TestTables.Day0 + day * TestTables.MicrosPerDay + n * 1_000_000L, n % 10 == 0 ? null : n % 50));
                    }
                    expected.AddRange(rows);
                    writer.Write(TestTables.Events(rows));
                    Assert.That(writer.RetainedBytes, Is.LessThanOrEqualTo(budget), $"day {day} batch {b}");
                }
            }
            files.AddRange(writer.Complete());
        }
        AssertCommittedRowsAre(tables, table, files, expected);
        Assert.That(files, Has.Count.EqualTo(8));
        Assert.That(files.Select(f => f.SplitOffsets?.Count ?? 1), Has.All.EqualTo(1));
    }

    // Every row written comes back, whatever the budget did to the files' row groups.
    private static void AssertCommittedRowsAre(TestTables tables, Table table, List<DataFile> files, List<(long Entity, long Micros, double? Amount)> expected)
    {
        var append = new FastAppend(table);
        foreach (var f in files) append.AppendFile(f);
        append.Commit();
        expected.Sort();
        Same.Sequence(TestTables.Read(new TableScan(tables.Warehouse.LoadTable(TableIdentifier.Parse("demo.events")))), expected);
    }
}
