using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.V3;

[TestFixture]
public sealed class FormatV3Tests
{
    private static readonly Dictionary<string, string> V3 = new() { ["format-version"] = "3" };
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private Table CreateV3(string name = "demo.v3") =>
        _t.Warehouse.CreateTable(TableIdentifier.Parse(name), TestTables.EventsSchema, TestTables.DaySpec, V3);

    private static string LatestMetadataJson(Table table) => File.ReadAllText(new Uri(table.MetadataLocation).LocalPath);

    [Test]
    public void Create_FormatVersion3_WritesV3MetadataWithNextRowIdZeroAndNoStoredProperty()
    {
        var table = CreateV3();
        Assert.That(table.Metadata.FormatVersion, Is.EqualTo(3));
        Assert.That(table.Metadata.NextRowId, Is.EqualTo(0));
        Assert.That(table.Metadata.Properties.ContainsKey("format-version"), Is.False);
        using var doc = System.Text.Json.JsonDocument.Parse(LatestMetadataJson(table));
        Assert.That(doc.RootElement.GetProperty("format-version").GetInt32(), Is.EqualTo(3));
        Assert.That(doc.RootElement.GetProperty("next-row-id").GetInt64(), Is.EqualTo(0));
    }

    [Test]
    public void Append_Twice_AssignsDisjointRowIdsAndAdvancesNextRowId()
    {
        var table = CreateV3();
        var first = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1, 2 }, 10, 0)));
        var second = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 3, 4 }, 7, 0)));

        Assert.That((first.FirstRowId, first.AddedRows), Is.EqualTo(((long?)0, (long?)30)));
        Assert.That((second.FirstRowId, second.AddedRows), Is.EqualTo(((long?)30, (long?)14)));
        Assert.That(table.Refresh().Metadata.NextRowId, Is.EqualTo(44));
        var files = RowLineageAssert.Consistent(table);
        Assert.That(files.Sum(f => f.RecordCount), Is.EqualTo(44));
        Assert.That(files.Select(f => f.FirstRowId!.Value).Min(), Is.EqualTo(0));

        // The snapshot JSON carries the fields under their spec names.
        using var doc = System.Text.Json.JsonDocument.Parse(LatestMetadataJson(table));
        var snap = doc.RootElement.GetProperty("snapshots").EnumerateArray().Last();
        Assert.That(snap.GetProperty("first-row-id").GetInt64(), Is.EqualTo(30));
        Assert.That(snap.GetProperty("added-rows").GetInt64(), Is.EqualTo(14));
    }

    [Test]
    public void Append_NewManifest_IsWrittenWithNullFirstRowIdsAndInheritsOnRead()
    {
        var table = CreateV3();
        var snapshot = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 5, 0)));
        var manifest = ManifestListReader.Read(table.Io, snapshot.ManifestList).Single();
        Assert.That(manifest.FirstRowId, Is.EqualTo(0));
        Assert.That(RowLineageAssert.Persisted(table, manifest).Values, Is.All.Null);
        var inherited = ManifestReader.Read(table.Io, manifest, table.Metadata.SpecById, table.Metadata.CurrentSchema)
            .Select(e => (e.DataFile.FirstRowId, e.DataFile.RecordCount)).ToList();
        Assert.That(inherited, Is.EqualTo(new[] { ((long?)0, 5L), ((long?)5, 5L) }));
    }

    [Test]
    public void Overwrite_RewrittenManifest_PersistsTheInheritedFirstRowIdOfExistingFiles()
    {
        var table = CreateV3(); // one manifest holding day 0 and day 1
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 5, 0)));
        var before = RowLineageAssert.Consistent(table).ToDictionary(f => f.FilePath, f => f.FirstRowId);

        var overwrite = TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 100)));
        var files = RowLineageAssert.Consistent(table);
        var kept = files.Single(f => before.ContainsKey(f.FilePath));
        Assert.That(kept.FirstRowId, Is.EqualTo(before[kept.FilePath]), "an existing file keeps its row ids");
        var rewritten = ManifestListReader.Read(table.Io, overwrite.ManifestList)
            .First(m => RowLineageAssert.Persisted(table, m).ContainsKey(kept.FilePath));
        Assert.That(RowLineageAssert.Persisted(table, rewritten)[kept.FilePath], Is.EqualTo(before[kept.FilePath]));
        Assert.That(files.Single(f => !before.ContainsKey(f.FilePath)).FirstRowId, Is.GreaterThanOrEqualTo(10));
    }

    [Test]
    public void Upgrade_V2ToV3_StartsLineageAtZeroAndTheNextCommitAssignsIdsToOldFiles()
    {
        var table = _t.CreateEvents();
        var old = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 4, 0)));
        Assert.That(table.Metadata.FormatVersion, Is.EqualTo(2));

        var upgraded = FormatUpgrade.Commit(table, 3);
        Assert.That(upgraded.FormatVersion, Is.EqualTo(3));
        Assert.That(upgraded.NextRowId, Is.EqualTo(0));
        Assert.That(upgraded.SnapshotById(old.SnapshotId)!.FirstRowId, Is.Null, "existing snapshots are not modified");
        Assert.That(upgraded.CurrentSnapshotId, Is.EqualTo(old.SnapshotId));

        var next = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 2 }, 3, 0)));
        Assert.That(next.FirstRowId, Is.EqualTo(0));
        Assert.That(next.AddedRows, Is.EqualTo(11), "the carried-over v2 manifest gets ids too");
        Assert.That(RowLineageAssert.Consistent(table).Count, Is.EqualTo(3));
        Assert.That(table.Metadata.NextRowId, Is.EqualTo(11));
    }

    [Test]
    public void Upgrade_Downgrade_IsRefusedAndWritesNothing()
    {
        var table = CreateV3();
        var location = table.MetadataLocation;
        var ex = Assert.Throws<FloeException>(() => FormatUpgrade.Commit(table, 2))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain("downgrade"));
        Assert.That(table.Refresh().MetadataLocation, Is.EqualTo(location));
        Assert.That(FormatUpgrade.Commit(table, 3).FormatVersion, Is.EqualTo(3));
        Assert.That(table.Refresh().MetadataLocation, Is.EqualTo(location), "upgrading to the same version is a no-op");
        Assert.That(Assert.Throws<FloeException>(() => FormatUpgrade.Commit(table, 4))!.Code, Is.EqualTo(FloeErrorCode.Unsupported));
    }

    [Test]
    public void Create_FormatVersion1_IsUnsupported()
    {
        var ex = Assert.Throws<FloeException>(() => _t.Warehouse.CreateTable(TableIdentifier.Parse("demo.v1"), TestTables.EventsSchema, null,
            new Dictionary<string, string> { ["format-version"] = "1" }))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.Unsupported));
        Assert.That(_t.Warehouse.Catalog.TableExists(TableIdentifier.Parse("demo.v1")), Is.False);
    }

    [Test]
    public void AddSnapshot_FirstRowIdBehindNextRowId_IsACommitConflict()
    {
        var table = CreateV3();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 5, 0)));
        var m = table.Refresh().Metadata;
        var stale = m.CurrentSnapshot! with { SnapshotId = 42, FirstRowId = 0, AddedRows = 5 };
        var ex = Assert.Throws<FloeException>(() => new Floe.Iceberg.Transactions.Updates.AddSnapshot(stale).Apply(m, 1))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
    }

    [Test]
    public void Transaction_TwoAppendsInOneCommit_GetConsecutiveRowIdRanges()
    {
        var table = CreateV3();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 4, 0)));
        var a = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 5, 0)))) a.AppendFile(f);
        var b = new FastAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 2 }, 6, 0)))) b.AppendFile(f);
        var committed = new TableTransaction(table).Add(a).Add(b).Commit();

        var added = committed.Snapshots.OrderBy(s => s.SequenceNumber).Skip(1).Select(s => (s.FirstRowId, s.AddedRows)).ToList();
        Assert.That(added, Is.EqualTo(new[] { ((long?)4, (long?)5), ((long?)9, (long?)6) }));
        Assert.That(committed.NextRowId, Is.EqualTo(15));
        Assert.That(RowLineageAssert.Consistent(table).Sum(f => f.RecordCount), Is.EqualTo(15));
    }
}
