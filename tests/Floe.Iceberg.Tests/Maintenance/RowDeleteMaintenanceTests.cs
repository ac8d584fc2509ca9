using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Maintenance;

/// <summary>Compaction, snapshot expiry and purge on tables with merge-on-read deletes (position delete files and deletion vectors).</summary>
[TestFixture]
public sealed class RowDeleteMaintenanceTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private Floe.Iceberg.Tables.Table TableWithDeletes(int version)
    {
        var table = RowDeleteTables.Create(_t, version, RowDeleteMode.MergeOnRead, partitioned: true);
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1, 2 }, 10, 0)));
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 10, 100)));
        new DeleteRows(table.Refresh(), ExpressionParser.Parse("entity_id = 3", table.Schema)).Execute();
        new DeleteRows(table.Refresh(), ExpressionParser.Parse("amount > 105", table.Schema)).Execute();
        return table.Refresh();
    }

    private static int LiveDeleteFiles(Floe.Iceberg.Tables.Table table) =>
        RowDeleteTables.LiveEntries(table, table.Metadata.CurrentSnapshot!).Count(e => e.DataFile.Content != FileContent.Data);

    [TestCase(2)]
    [TestCase(3)]
    public void Compact_AppliesDeletes_RewrittenFilesOmitDeletedRowsAndDeleteFilesGo(int version)
    {
        var table = TableWithDeletes(version);
        var expected = TestTables.Read(new TableScan(table));
        Assert.That(LiveDeleteFiles(table), Is.GreaterThan(0));

        var result = new RewriteDataFiles(table).Execute();

        table = table.Refresh();
        Assert.That(result.SnapshotId, Is.Not.Null);
        Assert.That(result.RemovedDeleteFiles, Is.GreaterThan(0));
        Assert.That(result.Rows, Is.EqualTo(expected.Count), "rewritten files hold only the live rows");
        Assert.That(LiveDeleteFiles(table), Is.Zero, "every delete file applied to a rewritten file");
        Same.Sequence(TestTables.Read(new TableScan(table)), expected);
        var summary = table.Metadata.CurrentSnapshot!.Summary;
        Assert.That(summary["total-delete-files"], Is.EqualTo("0"));
        Assert.That(summary["removed-delete-files"], Is.EqualTo(result.RemovedDeleteFiles.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // The rewritten files alone hold the rows: their record counts sum to the live rows.
        var data = RowDeleteTables.LiveEntries(table, table.Metadata.CurrentSnapshot!).Select(e => e.DataFile).ToList();
        Assert.That(data.Sum(f => f.RecordCount), Is.EqualTo(expected.Count));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void ExpireAfterCompaction_RemovesTheDeleteAndPuffinFiles(int version)
    {
        var table = TableWithDeletes(version);
        var deleteFiles = RowDeleteTables.LiveEntries(table, table.Metadata.CurrentSnapshot!)
            .Where(e => e.DataFile.Content != FileContent.Data)
            .Select(e => MaintenanceFiles.Local(table, e.DataFile.FilePath))
            .ToHashSet();
        // Include the vectors an earlier delete wrote and a later one replaced.
        foreach (var snapshot in table.Metadata.Snapshots)
        {
            foreach (var e in RowDeleteTables.LiveEntries(table, snapshot))
            {
                if (e.DataFile.Content != FileContent.Data) deleteFiles.Add(MaintenanceFiles.Local(table, e.DataFile.FilePath));
            }
        }
        Assert.That(deleteFiles.All(File.Exists), Is.True);
        if (version == 3) Assert.That(deleteFiles.All(f => f.EndsWith(".puffin", StringComparison.Ordinal)), Is.True);
        var compacted = new RewriteDataFiles(table).Execute();
        table = table.Refresh();
        var expected = TestTables.Read(new TableScan(table));

        var result = new ExpireSnapshots(table).ExpireOlderThan(table.Metadata.CurrentSnapshot!.TimestampMs).RetainLast(1).Execute();

        Assert.That(result.DeletedDeleteFiles.Select(p => MaintenanceFiles.Local(table, p)), Is.EquivalentTo(deleteFiles));
        Assert.That(deleteFiles.Any(File.Exists), Is.False, "no delete or Puffin file is left once no snapshot reaches it");
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh())), expected);
        Assert.That(compacted.SnapshotId, Is.EqualTo(table.Refresh().Metadata.CurrentSnapshotId));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void DropPurge_RemovesDeleteAndPuffinFiles(int version)
    {
        var table = TableWithDeletes(version);
        var deleteFiles = RowDeleteTables.LiveEntries(table, table.Metadata.CurrentSnapshot!)
            .Where(e => e.DataFile.Content != FileContent.Data)
            .Select(e => MaintenanceFiles.Local(table, e.DataFile.FilePath))
            .ToHashSet();
        Assert.That(deleteFiles, Is.Not.Empty);

        _t.Warehouse.DropTable(TableIdentifier.Parse("demo.events"), purge: true);

        Assert.That(deleteFiles.Any(File.Exists), Is.False);
    }

    [Test]
    public void V3Delete_WritesOnePuffinFileWithADeletionVectorPerDataFile()
    {
        var table = RowDeleteTables.Create(_t, 3, RowDeleteMode.MergeOnRead, partitioned: true);
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1, 2 }, 10, 0)));
        var result = new DeleteRows(table.Refresh(), ExpressionParser.Parse("entity_id = 2", table.Schema)).Execute();
        table = table.Refresh();

        var vectors = RowDeleteTables.LiveEntries(table, table.Metadata.CurrentSnapshot!).Where(e => e.DataFile.Content != FileContent.Data).ToList();
        Assert.That(vectors, Has.Count.EqualTo(3));
        Assert.That(result.DeleteFiles, Is.EqualTo(3));
        Assert.That(vectors.Select(v => v.DataFile.FilePath).Distinct().Count(), Is.EqualTo(1), "one Puffin file per delete");
        var (content, blobs) = Floe.Iceberg.Puffin.PuffinReader.Read(table.Io, vectors[0].DataFile.FilePath);
        Assert.That(blobs, Has.Count.EqualTo(3));
        foreach (var v in vectors)
        {
            var blob = blobs.Single(b => b.Offset == v.DataFile.ContentOffset);
            Assert.That(blob.Type, Is.EqualTo("deletion-vector-v1"));
            Assert.That(blob.Length, Is.EqualTo(v.DataFile.ContentSizeInBytes));
            Assert.That(blob.Properties["referenced-data-file"], Is.EqualTo(v.DataFile.ReferencedDataFile));
            var positions = Floe.Iceberg.Puffin.DeletionVector.Decode(content.AsSpan((int)blob.Offset, (int)blob.Length), "dv");
            // Rows(i % 7): entity 2 sits at positions 2 and 9 of each day's 10 rows.
            Assert.That(positions.Order(), Is.EqualTo(new long[] { 2, 9 }));
            Assert.That(v.DataFile.RecordCount, Is.EqualTo(2));
        }
    }
}
