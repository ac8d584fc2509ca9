using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions.Updates;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions.Updates;

/// <summary>A commit written as the REST <c>CommitTableRequest</c> reads back as the same commit, and applies alike.</summary>
[TestFixture]
public sealed class TableCommitJsonTests
{
    private static JsonDocument Write(TableCommit commit)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) commit.WriteJson(writer, TableIdentifier.Parse("db.events"), 2);
        return JsonDocument.Parse(buffer.ToArray());
    }

    [Test]
    public void EveryUpdateAndRequirement_RoundTrips()
    {
        var snapshot = new Snapshot(42, 7, 3, 1_700_000_000_000, "file:///w/db/events/metadata/snap-42.avro",
            new Dictionary<string, string> { ["operation"] = "append", ["added-records"] = "5" }, 0);
        var commit = new TableCommit(
            new TableRequirement[]
            {
                new AssertTableUuid(Guid.Parse("8a7f6c3e-1111-4a4b-9c9d-0123456789ab")),
                new AssertRefSnapshotId("main", 7),
                new AssertRefSnapshotId("audit", null),
                new AssertMetadataId("assert-current-schema-id", 0),
                new AssertMetadataId("assert-default-spec-id", 0),
            },
            new TableUpdate[]
            {
                new AddSnapshot(snapshot),
                new SetSnapshotRef("main", new SnapshotRef(42, SnapshotRefType.Branch)),
                new SetSnapshotRef("v1", new SnapshotRef(42, SnapshotRefType.Tag, MaxRefAgeMs: 1000)),
                new RemoveSnapshotRef("old"),
                new RemoveSnapshots(new long[] { 1, 2 }),
                new SetProperties(new Dictionary<string, string> { ["k"] = "v" }),
                new RemoveProperties(new[] { "gone" }),
            });
        using var doc = Write(commit);

        var read = TableCommitJson.Read(doc.RootElement, 2, "test");

        Assert.That(read.Requirements, Is.EqualTo(commit.Requirements));
        Assert.That(read.Updates, Has.Count.EqualTo(commit.Updates.Count));
        var added = (AddSnapshot)read.Updates[0];
        Assert.That(added.Snapshot.SnapshotId, Is.EqualTo(42));
        Assert.That(added.Snapshot.ParentSnapshotId, Is.EqualTo(7));
        Assert.That(added.Snapshot.ManifestList, Is.EqualTo(snapshot.ManifestList));
        Assert.That(added.Snapshot.Summary, Is.EquivalentTo(snapshot.Summary));
        Assert.That(read.Updates.Skip(1).ToList(), Is.EqualTo(commit.Updates.Skip(1).ToList()).Using<TableUpdate>(SameJson));
    }

    [Test]
    public void ARequirementReadBack_FailsAsTheOriginalDoes()
    {
        using var tables = new TestTables();
        var table = tables.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 1, 0)));
        var metadata = table.Refresh().Metadata;
        var stale = new TableCommit(new TableRequirement[] { new AssertRefSnapshotId("main", 1) }, new TableUpdate[] { new SetProperties(new Dictionary<string, string> { ["a"] = "b" }) });
        using var doc = Write(stale);

        var error = Assert.Throws<FloeException>(() => TableCommitJson.Read(doc.RootElement, 2, "test").Apply(metadata, "db.events", 1));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
        var wrongSchema = new TableCommit(new TableRequirement[] { new AssertMetadataId("assert-current-schema-id", 5) }, Array.Empty<TableUpdate>());
        using var doc2 = Write(wrongSchema);
        Assert.That(Assert.Throws<FloeException>(() => TableCommitJson.Read(doc2.RootElement, 2, "test").Apply(metadata, "db.events", 1))!.Code,
            Is.EqualTo(FloeErrorCode.CommitConflict));
    }

    [TestCase("{\"requirements\":[{\"type\":\"assert-nothing\"}],\"updates\":[]}", FloeErrorCode.InvalidArgument)]
    [TestCase("{\"requirements\":[],\"updates\":[{\"action\":\"add-schema\",\"schema\":{}}]}", FloeErrorCode.Unsupported)]
    [TestCase("{\"requirements\":[{\"type\":\"assert-create\"}],\"updates\":[]}", FloeErrorCode.Unsupported)]
    [TestCase("{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"nope\"}],\"updates\":[]}", FloeErrorCode.InvalidArgument)]
    [TestCase("{\"requirements\":[],\"updates\":[{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\"}]}", FloeErrorCode.InvalidArgument)]
    public void MalformedOrUnsupported_IsRefusedWithItsCode(string json, FloeErrorCode code)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.That(Assert.Throws<FloeException>(() => TableCommitJson.Read(doc.RootElement, 2, "req"))!.Code, Is.EqualTo(code));
    }

    private static bool SameJson(TableUpdate a, TableUpdate b) => ToJson(a) == ToJson(b);

    private static string ToJson(TableUpdate update)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) update.WriteJson(writer, 2);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
