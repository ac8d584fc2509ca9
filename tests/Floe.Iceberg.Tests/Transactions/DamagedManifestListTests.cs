using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.Transactions;

/// <summary>
/// A manifest list whose entries name a partition spec the table lacks (a damaged or foreign list): every writer that
/// carries the branch head's manifests forward must refuse with InvalidData naming the list and the manifest, and leave
/// the table at its snapshot, rather than fail on a bare spec id or carry the damage into a new snapshot.
/// </summary>
[TestFixture]
public sealed class DamagedManifestListTests
{
    private const int UnknownSpecId = 58;

    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static readonly string[] Writers =
        ["fast-append", "merge-append", "delete-files", "partition-overwrite", "rewrite", "row-delta-remove"];

    [TestCaseSource(nameof(Writers))]
    public void Commit_OnListNamingUnknownSpec_InvalidDataNamingTheFilesAndTableUnchanged(string writer)
    {
        var table = _t.CreateEvents();
        var first = TestTables.Write(table, TestTables.Events(TestTables.Rows([0, 1], 4, 0)));
        var append = new FastAppend(table);
        foreach (var f in first) append.AppendFile(f);
        append.Commit();
        TestTables.Append(table, TestTables.Events(TestTables.Rows([2], 4, 10)));
        var list = Damage(table);
        // A fresh warehouse: the writing process remembers the lists it wrote, so only a new one reads the damage.
        var damaged = new Warehouse(_t.Directory).LoadTable(table.Identifier);
        var before = damaged.MetadataLocation;

        var e = Assert.Throws<FloeException>(() => Commit(writer, damaged, first))!;

        Assert.That(e.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Does.StartWith(list + ": manifest "));
        Assert.That(e.Message, Does.Contain($"names partition spec {UnknownSpecId}, which is not in the table metadata"));
        Assert.That(new Warehouse(_t.Directory).LoadTable(table.Identifier).MetadataLocation, Is.EqualTo(before));
    }

    [Test]
    public void ReadManifest_NamingUnknownSpec_InvalidDataNamingTheManifest()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows([0, 1], 4, 0)));
        Damage(table);
        var manifest = ManifestListReader.Read(table.Io, table.Metadata.CurrentSnapshot!.ManifestList)[0];

        var e = Assert.Throws<FloeException>(() => ManifestReader.Read(table.Io, manifest, table.Metadata.SpecById, null).ToList())!;

        Assert.That(e.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Is.EqualTo($"{manifest.ManifestPath}: partition spec {UnknownSpecId} is not in the table metadata"));
    }

    private void Commit(string writer, Table table, IReadOnlyList<DataFile> first)
    {
        var more = TestTables.Write(table, TestTables.Events(TestTables.Rows([0, 5], 3, 20)));
        switch (writer)
        {
            case "fast-append":
                var fast = new FastAppend(table);
                foreach (var f in more) fast.AppendFile(f);
                fast.Commit();
                break;
            case "merge-append":
                var merge = new MergeAppend(table);
                foreach (var f in more) merge.AppendFile(f);
                merge.Commit();
                break;
            case "delete-files":
                new DeleteFiles(table, ExpressionParser.Parse("event_time < '2024-01-02T00:00:00Z'", table.Schema)).Commit();
                break;
            case "partition-overwrite":
                var overwrite = new DynamicPartitionOverwrite(table);
                foreach (var f in more) overwrite.AddFile(f);
                overwrite.Commit();
                break;
            case "rewrite":
                new RewriteFiles(table).DeleteFile(first[0]).AddFile(more[0]).Commit();
                break;
            default:
                new RowDelta(table).RemoveRows(first[0]).Commit();
                break;
        }
    }

    /// <summary>Rewrites the head's manifest list in place with every entry naming a spec the table does not have.</summary>
    private static string Damage(Table table)
    {
        var snapshot = table.Metadata.CurrentSnapshot!;
        var manifests = ManifestListReader.Read(table.Io, snapshot.ManifestList);
        table.Io.Delete(snapshot.ManifestList);
        using (var writer = new ManifestListWriter(table.Io, snapshot.ManifestList, table.Metadata.FormatVersion, snapshot.SnapshotId,
            snapshot.ParentSnapshotId, snapshot.SequenceNumber))
        {
            foreach (var m in manifests) writer.Add(m with { PartitionSpecId = UnknownSpecId });
            writer.Close();
        }
        Assert.That(ManifestListReader.Read(table.Io, snapshot.ManifestList).Select(m => m.PartitionSpecId), Is.All.EqualTo(UnknownSpecId));
        return snapshot.ManifestList;
    }
}
