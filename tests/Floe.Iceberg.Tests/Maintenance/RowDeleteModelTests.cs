using System.Globalization;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;
using Row = (long Entity, long Micros, double? Amount);

namespace Floe.Iceberg.Tests.Maintenance;

/// <summary>
/// Model-based test of row-level deletes in every physical form: random v2 and v3 tables in each delete mode,
/// partitioned or not, take a random sequence of appends and deletes; every snapshot must read as the in-memory model
/// said at that point (time travel before a delete included), and the files each mode writes must be the spec's.
/// </summary>
[TestFixture]
public sealed class RowDeleteModelTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static IEnumerable<TestCaseData> Cases()
    {
        var seed = 11;
        foreach (var version in new[] { 2, 3 })
        {
            foreach (var mode in new[] { RowDeleteMode.CopyOnWrite, RowDeleteMode.MergeOnRead })
            {
                foreach (var partitioned in new[] { true, false })
                {
                    yield return new TestCaseData(version, mode, partitioned, seed++);
                }
            }
        }
    }

    private static (string Text, Func<Row, bool> Match) RandomFilter(Random random)
    {
        var entity = random.Next(7);
        var amount = Math.Round(random.NextDouble() * 20, 1);
        var cut = TestTables.Day0 + random.Next(1, 5) * TestTables.MicrosPerDay + random.Next(0, 3) * 3_600_000_000L;
        var dayText = DateTimeOffset.UnixEpoch.AddTicks(cut * 10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var amountText = amount.ToString(CultureInfo.InvariantCulture);
        return random.Next(6) switch
        {
            0 => ($"entity_id = {entity}", r => r.Entity == entity),
            1 => ($"amount > {amountText}", r => r.Amount > amount),
            2 => ($"entity_id = {entity} and amount < {amountText}", r => r.Entity == entity && r.Amount < amount),
            3 => ($"event_time < '{dayText}'", r => r.Micros < cut),
            4 => ($"amount is null or entity_id = {entity}", r => r.Amount is null || r.Entity == entity),
            _ => ($"entity_id = {entity} or event_time >= '{dayText}'", r => r.Entity == entity || r.Micros >= cut),
        };
    }

    private static List<Row> RandomRows(Random random)
    {
        var rows = new List<Row>();
        var n = random.Next(5, 80);
        for (var i = 0; i < n; i++)
        {
            double? amount = random.Next(8) == 0 ? null : Math.Round(random.NextDouble() * 20, 2);
            rows.Add((random.Next(7), TestTables.Day0 + random.NextInt64(6 * TestTables.MicrosPerDay), amount));
        }
        return rows;
    }

    [TestCaseSource(nameof(Cases))]
    [Category(TestTier.Sweep)]
    public void AppendsAndDeletes_EverySnapshot_ReadsAsTheModel(int version, RowDeleteMode mode, bool partitioned, int seed)
    {
        var random = new Random(seed);
        var table = RowDeleteTables.Create(_t, version, mode, partitioned);
        Assert.That(table.Metadata.FormatVersion, Is.EqualTo(version));
        var model = new List<Row>();
        var history = new List<(long Snapshot, List<Row> Rows)>();
        var deletes = 0;
        var deleteFilesWritten = 0;
        var mergedVectors = 0;
        // The fast pass takes the first 8 of the 14 steps: the fewest at which every case still has three deletes, a
        // merge-on-read delete file and, in v3, a deletion vector merged by a later delete (7 leave seed 14 two deletes).
        var steps = TestTier.Size(8, 14);
        for (var step = 0; step < steps; step++)
        {
            // Each step ends on a refreshed table and nothing commits in between: no refresh here.
            if (model.Count == 0 || random.Next(3) == 0)
            {
                var rows = RandomRows(random);
                TestTables.Append(table, TestTables.Events(rows));
                model.AddRange(rows);
            }
            else
            {
                var (text, match) = RandomFilter(random);
                var expected = model.Count(match);
                var result = new DeleteRows(table, ExpressionParser.Parse(text, table.Schema)).Set("floe.reason", "model").Execute();
                model.RemoveAll(r => match(r));
                Assert.That(result.DeletedRows, Is.EqualTo(expected), text);
                Assert.That(result.SnapshotId is null, Is.EqualTo(expected == 0), text);
                Assert.That(result.Mode, Is.EqualTo(mode));
                if (result.SnapshotId is { } id)
                {
                    deletes++;
                    deleteFilesWritten += result.DeleteFiles;
                    table = table.Refresh();
                    var snapshot = table.Metadata.SnapshotById(id)!;
                    Assert.That(snapshot.Summary[DeleteRows.DeletedRowsSummaryKey], Is.EqualTo(expected.ToString(CultureInfo.InvariantCulture)));
                    Assert.That(snapshot.Summary["floe.reason"], Is.EqualTo("model"));
                    Assert.That(snapshot.Operation, Is.EqualTo(mode == RowDeleteMode.MergeOnRead ? "delete" : "overwrite"));
                    if (mode == RowDeleteMode.MergeOnRead && result.DeleteFiles > 0)
                    {
                        Assert.That(snapshot.Summary["added-delete-files"], Is.EqualTo(result.DeleteFiles.ToString(CultureInfo.InvariantCulture)));
                        Assert.That(snapshot.Summary.ContainsKey("added-position-deletes"), Is.True);
                        Assert.That(snapshot.Summary.ContainsKey(version == 3 ? "added-dvs" : "added-position-delete-files"), Is.True);
                        if (snapshot.Summary.ContainsKey("removed-dvs")) mergedVectors++;
                    }
                }
            }
            table = table.Refresh();
            var head = table.Metadata.CurrentSnapshot!;
            var expectedRows = model.OrderBy(r => r).ToList();
            Same.Sequence(TestTables.Read(new TableScan(table)), expectedRows, $"step {step}");
            history.Add((head.SnapshotId, expectedRows));
            CheckDeleteFiles(table, head, version, mode);
        }
        Assert.That(deletes, Is.GreaterThan(2), "the sequence must exercise deletes");
        if (mode == RowDeleteMode.MergeOnRead) Assert.That(deleteFilesWritten, Is.GreaterThan(0), "merge-on-read must write delete files");
        else Assert.That(deleteFilesWritten, Is.Zero);
        if (mode == RowDeleteMode.MergeOnRead && version == 3) Assert.That(mergedVectors, Is.GreaterThan(0), "a later delete must merge a file's earlier vector");
        foreach (var (snapshot, rows) in history)
        {
            Same.Sequence(TestTables.Read(new TableScan(table).UseSnapshot(snapshot)), rows, $"time travel to {snapshot}");
        }
    }

    /// <summary>What each mode may leave in a snapshot: no deletes (copy-on-write), Parquet position deletes (v2), one DV per data file (v3).</summary>
    private static void CheckDeleteFiles(Floe.Iceberg.Tables.Table table, Snapshot snapshot, int version, RowDeleteMode mode)
    {
        var entries = RowDeleteTables.LiveEntries(table, snapshot);
        var data = entries.Where(e => e.DataFile.Content == FileContent.Data).Select(e => e.DataFile.FilePath).ToHashSet();
        var deletes = entries.Where(e => e.DataFile.Content != FileContent.Data).ToList();
        if (mode == RowDeleteMode.CopyOnWrite)
        {
            Assert.That(deletes, Is.Empty);
            return;
        }
        foreach (var e in deletes)
        {
            Assert.That(e.DataFile.Content, Is.EqualTo(FileContent.PositionDeletes));
            Assert.That(e.SequenceNumber, Is.EqualTo(table.Metadata.SnapshotById(e.SnapshotId!.Value)!.SequenceNumber),
                "a delete file's data sequence number is that of the snapshot that added it");
            if (version == 3)
            {
                Assert.That(e.DataFile.FileFormat, Is.EqualTo("PUFFIN"));
                Assert.That(e.DataFile.ReferencedDataFile, Is.Not.Null);
                Assert.That(data, Does.Contain(e.DataFile.ReferencedDataFile!), "a deletion vector names a live data file");
                Assert.That(e.DataFile.ContentOffset, Is.Not.Null);
                Assert.That(e.DataFile.ContentSizeInBytes, Is.Not.Null);
            }
            else
            {
                Assert.That(e.DataFile.FileFormat, Is.EqualTo("PARQUET"));
            }
        }
        if (version == 3)
        {
            var perFile = deletes.GroupBy(e => e.DataFile.ReferencedDataFile).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.That(perFile, Is.Empty, "at most one deletion vector per data file");
        }
    }
}
