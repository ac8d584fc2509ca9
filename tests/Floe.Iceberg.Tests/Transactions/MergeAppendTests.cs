using Floe.Iceberg.Catalog;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.Transactions;

[TestFixture]
public sealed class MergeAppendTests
{
    private static Table Create(TestTables tables, Dictionary<string, string> properties) =>
        tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.events"), TestTables.EventsSchema, TestTables.DaySpec, properties);

    private static Snapshot Append(Table table, int day, double tag)
    {
        var append = new MergeAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { day }, 3, tag)))) append.AppendFile(f);
        return append.Commit();
    }

    private static IReadOnlyList<ManifestFile> Manifests(Table table) => ManifestListReader.Read(table.Io, table.Metadata.CurrentSnapshot!.ManifestList);

    [Test]
    public void Commit_BelowMinCount_KeepsEveryManifestUnchanged()
    {
        using var tables = new TestTables();
        var table = Create(tables, new Dictionary<string, string>());
        Append(table, 0, 0);
        var before = Manifests(table);
        Append(table, 1, 100);

        var after = Manifests(table);
        Assert.That(after, Has.Count.EqualTo(2));
        Assert.That(after[1].ManifestPath, Is.EqualTo(before[0].ManifestPath));
    }

    [Test]
    public void Commit_AtMinCount_MergesIntoOneManifestKeepingRowsAndSequenceNumbers()
    {
        using var tables = new TestTables();
        var table = Create(tables, new Dictionary<string, string> { [MergeAppend.MinCountToMergeProperty] = "3" });
        var first = Append(table, 0, 0);
        Append(table, 1, 100);
        Assert.That(Manifests(table), Has.Count.EqualTo(2));
        var third = Append(table, 2, 200);

        var manifests = Manifests(table);
        Assert.That(manifests, Has.Count.EqualTo(1));
        Assert.That(manifests[0].AddedFilesCount, Is.EqualTo(1));
        Assert.That(manifests[0].ExistingFilesCount, Is.EqualTo(2));
        var entries = ManifestReader.Read(table.Io, manifests[0], table.Metadata.SpecById, table.Schema).ToList();
        var firstEntry = entries.Single(e => e.SnapshotId == first.SnapshotId);
        Assert.That(firstEntry.Status, Is.EqualTo(ManifestEntryStatus.Existing));
        Assert.That(firstEntry.SequenceNumber, Is.EqualTo(first.SequenceNumber));
        Assert.That(entries.Single(e => e.SnapshotId == third.SnapshotId).SequenceNumber, Is.EqualTo(third.SequenceNumber));

        var rows = TestTables.Read(new TableScan(table));
        Assert.That(rows, Has.Count.EqualTo(9));
        Assert.That(third.Summary["total-data-files"], Is.EqualTo("3"));
    }

    [Test]
    public void Commit_AfterOverwrite_DropsDeletedEntriesFromMergedManifest()
    {
        using var tables = new TestTables();
        var table = Create(tables, new Dictionary<string, string> { [MergeAppend.MinCountToMergeProperty] = "2" });
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 2, 50)));
        Append(table, 1, 100);

        var manifests = Manifests(table);
        Assert.That(manifests, Has.Count.EqualTo(1));
        var entries = ManifestReader.Read(table.Io, manifests[0], table.Metadata.SpecById, table.Schema).ToList();
        Assert.That(entries.Select(e => e.Status), Has.None.EqualTo(ManifestEntryStatus.Deleted));
        Assert.That(TestTables.Read(new TableScan(table)), Has.Count.EqualTo(5));
    }

    [Test]
    public void Commit_MergeDisabled_KeepsEveryManifest()
    {
        using var tables = new TestTables();
        var table = Create(tables, new Dictionary<string, string>
        {
            [MergeAppend.MinCountToMergeProperty] = "2",
            [MergeAppend.MergeEnabledProperty] = "false",
        });
        Append(table, 0, 0);
        Append(table, 1, 100);
        Append(table, 2, 200);

        Assert.That(Manifests(table), Has.Count.EqualTo(3));
    }
}
