using Floe.Core.Errors;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions;

[TestFixture]
public sealed class TableTransactionTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static MergeAppend AppendOf(Floe.Iceberg.Tables.Table table, IEnumerable<int> days, double tag)
    {
        var append = new MergeAppend(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(days, 3, tag)))) append.AppendFile(f);
        return append;
    }

    private int MetadataFiles(Floe.Iceberg.Tables.Table table) =>
        Directory.GetFiles(Path.Combine(_t.Directory, "demo", "events", "metadata"), "*.metadata.json").Length;

    private int ManifestFiles() =>
        Directory.GetFiles(Path.Combine(_t.Directory, "demo", "events", "metadata"), "*.avro").Length;

    [Test]
    public void Commit_AppendsOverwriteTagAndProperties_LandInOneMetadataVersion()
    {
        var table = _t.CreateEvents();
        var before = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 3, 0)));
        var versions = MetadataFiles(table);

        var first = AppendOf(table, new[] { 2 }, 10);
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 2, 20)))) overwrite.AddFile(f);
        var committed = new TableTransaction(table)
            .Add(first)
            .Add(overwrite)
            .Add(new ManageSnapshots(table).CreateTag("features-v1"))
            .SetProperties(new Dictionary<string, string> { ["floe.code-version"] = "abc123" })
            .Commit();

        Assert.That(MetadataFiles(table), Is.EqualTo(versions + 1), "one commit, one new metadata file");
        var reloaded = _t.Warehouse.LoadTable(table.Identifier).Metadata;
        var head = reloaded.CurrentSnapshot!;
        Assert.Multiple(() =>
        {
            Assert.That(head.SnapshotId, Is.EqualTo(overwrite.SnapshotId));
            Assert.That(head.ParentSnapshotId, Is.EqualTo(first.SnapshotId));
            Assert.That(reloaded.SnapshotById(first.SnapshotId)!.ParentSnapshotId, Is.EqualTo(before.SnapshotId));
            Assert.That(head.SequenceNumber, Is.EqualTo(before.SequenceNumber + 2));
            Assert.That(reloaded.Refs["features-v1"].SnapshotId, Is.EqualTo(overwrite.SnapshotId), "the tag sees the transaction's own last snapshot");
            Assert.That(reloaded.Refs["features-v1"].Type, Is.EqualTo(SnapshotRefType.Tag));
            Assert.That(reloaded.Properties["floe.code-version"], Is.EqualTo("abc123"));
            Assert.That(committed.CurrentSnapshotId, Is.EqualTo(overwrite.SnapshotId));
        });
        var expected = TestTables.Rows(new[] { 0 }, 3, 0).Concat(TestTables.Rows(new[] { 1 }, 2, 20)).Concat(TestTables.Rows(new[] { 2 }, 3, 10))
            .OrderBy(r => r).ToList();
        Same.Sequence(TestTables.Read(new TableScan(table)), expected);
        Same.Sequence(TestTables.Read(new TableScan(table).UseRef("features-v1")), expected);
    }

    [Test]
    public void Commit_WhenALaterActionFails_LeavesTheTableAndItsFilesAsTheyWere()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        new ManageSnapshots(table).CreateTag("taken").Commit();
        var location = _t.Warehouse.LoadTable(table.Identifier).MetadataLocation;
        var manifests = ManifestFiles();

        var append = AppendOf(table, new[] { 1 }, 5);
        var transaction = new TableTransaction(table).Add(append).Add(new ManageSnapshots(table).CreateTag("taken"));

        var error = Assert.Throws<FloeException>(() => transaction.Commit())!;
        Assert.That(error.Code, Is.EqualTo(FloeErrorCode.AlreadyExists));
        var reloaded = _t.Warehouse.LoadTable(table.Identifier);
        Assert.Multiple(() =>
        {
            Assert.That(reloaded.MetadataLocation, Is.EqualTo(location), "nothing committed");
            Assert.That(reloaded.Metadata.SnapshotById(append.SnapshotId), Is.Null);
            Assert.That(ManifestFiles(), Is.EqualTo(manifests), "the staged manifests and manifest list were deleted");
        });
    }

    [Test]
    public void Commit_AfterAConcurrentAppend_RedoesEverythingOnTheNewBase()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var append = AppendOf(table, new[] { 1 }, 5);
        var transaction = new TableTransaction(table).Add(append).Add(new ManageSnapshots(table).CreateTag("after"));

        // Another writer lands between the operations being built and the transaction's commit.
        var other = _t.Warehouse.LoadTable(table.Identifier);
        var concurrent = TestTables.Append(other, TestTables.Events(TestTables.Rows(new[] { 2 }, 3, 9)));

        transaction.Commit();

        var reloaded = _t.Warehouse.LoadTable(table.Identifier).Metadata;
        Assert.Multiple(() =>
        {
            Assert.That(reloaded.CurrentSnapshot!.SnapshotId, Is.EqualTo(append.SnapshotId));
            Assert.That(reloaded.CurrentSnapshot.ParentSnapshotId, Is.EqualTo(concurrent.SnapshotId));
            Assert.That(reloaded.Refs["after"].SnapshotId, Is.EqualTo(append.SnapshotId));
        });
        Assert.That(TestTables.Read(new TableScan(table)), Has.Count.EqualTo(9));
    }

    [Test]
    public void Commit_OverwriteValidatesAgainstConcurrentWritersButNotItsOwnTransaction()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));

        // Its own earlier append to the same day is not a conflict for the overwrite.
        var own = AppendOf(table, new[] { 1 }, 5);
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 2, 7)))) overwrite.AddFile(f);
        new TableTransaction(table).Add(own).Add(overwrite).Commit();
        var expected = TestTables.Rows(new[] { 0 }, 3, 0).Concat(TestTables.Rows(new[] { 1 }, 2, 7)).OrderBy(r => r).ToList();
        Same.Sequence(TestTables.Read(new TableScan(table)), expected, "day 1 holds the overwrite's rows only");

        // A concurrent writer's change to the overwritten day is.
        var second = new DynamicPartitionOverwrite(table);
        foreach (var f in TestTables.Write(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 1, 8)))) second.AddFile(f);
        var transaction = new TableTransaction(table).Add(second);
        var head = table.Metadata.CurrentSnapshotId;
        TestTables.Append(_t.Warehouse.LoadTable(table.Identifier), TestTables.Events(TestTables.Rows(new[] { 1 }, 1, 9)));

        var error = Assert.Throws<FloeException>(() => transaction.Commit())!;
        Assert.That(error.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        Assert.That(_t.Warehouse.LoadTable(table.Identifier).Metadata.SnapshotById(second.SnapshotId), Is.Null);
        Assert.That(head, Is.Not.Null);
    }

    [Test]
    public void Add_AnOperationOnAnotherTable_IsRefused()
    {
        var table = _t.CreateEvents();
        var other = _t.CreateEvents("demo.other");
        var error = Assert.Throws<FloeException>(() => new TableTransaction(table).Add(new MergeAppend(other)))!;
        Assert.That(error.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }
}
