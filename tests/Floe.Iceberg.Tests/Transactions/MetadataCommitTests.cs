using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions;

[TestFixture]
public sealed class MetadataCommitTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    [Test]
    public void Commit_LosesRace_RetriesAgainstFreshMetadata()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var other = _t.Warehouse.LoadTable(table.Identifier);
        Snapshot? concurrent = null;
        var calls = 0;

        var committed = MetadataCommit.Commit(table, (metadata, now) =>
        {
            calls++;
            // Another writer commits after this attempt read its base: the swap must fail and the update rerun.
            if (calls == 1) concurrent = TestTables.Append(other, TestTables.Events(TestTables.Rows(new[] { 1 }, 3, 0)));
            return MetadataUpdates.SetRef(metadata, "t", new SnapshotRef(metadata.CurrentSnapshotId!.Value, SnapshotRefType.Tag), now);
        });

        Assert.That(calls, Is.EqualTo(2));
        Assert.That(committed.Refs["t"].SnapshotId, Is.EqualTo(concurrent!.SnapshotId));
        Assert.That(table.Refresh().Metadata.CurrentSnapshotId, Is.EqualTo(concurrent.SnapshotId));
        Assert.That(table.Metadata.Refs["t"].SnapshotId, Is.EqualTo(concurrent.SnapshotId));
    }

    [Test]
    public void Commit_UnchangedMetadata_WritesNothing()
    {
        var table = _t.CreateEvents();
        var location = table.MetadataLocation;

        var result = MetadataCommit.Commit(table, (metadata, _) => metadata);

        Assert.That(table.Refresh().MetadataLocation, Is.EqualTo(location));
        Assert.That(result, Is.SameAs(table.Metadata));
    }

    [Test]
    public void Commit_ValidationFailure_IsNotRetried()
    {
        var table = _t.CreateEvents();
        var calls = 0;

        Assert.Throws<FloeException>(() => MetadataCommit.Commit(table, (_, _) =>
        {
            calls++;
            throw Errors.ValidationFailed("no");
        }));

        Assert.That(calls, Is.EqualTo(1));
    }
}
