using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tests.Tables;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Transactions.Updates;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Transactions.Updates;

[TestFixture]
public sealed class TableCommitTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    /// <summary>A table with four snapshots on main, a branch and a tag.</summary>
    private TableMetadata History()
    {
        var table = _t.CreateEvents();
        for (int i = 0; i < 4; i++) TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { i }, 2, 0)));
        var snapshots = table.Refresh().Metadata.Snapshots;
        MetadataCommit.Commit(table, (m, now) => MetadataUpdates.SetRef(
            MetadataUpdates.SetRef(m, "audit", new SnapshotRef(snapshots[1].SnapshotId, SnapshotRefType.Branch), now),
            "v1", new SnapshotRef(snapshots[2].SnapshotId, SnapshotRefType.Tag), now));
        return table.Refresh().Metadata;
    }

    private static string Json(TableCommit commit, TableMetadata metadata)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) commit.WriteJson(writer, Floe.Iceberg.Catalog.TableIdentifier.Parse("db.events"), metadata.FormatVersion);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Test]
    public void Diff_OfRandomMetadataOnlyChanges_ReappliedToTheBase_GivesTheSameMetadata()
    {
        var @base = History();
        var random = new Random(17);
        for (int round = 0; round < 200; round++)
        {
            const long now = 1_900_000_000_000;
            var updated = @base;
            // A diff states the net change: main moved twice logs once, so each round moves main at most once.
            var mainMoved = false;
            for (int step = random.Next(1, 5); step > 0; step--)
            {
                var ids = updated.Snapshots.Select(s => s.SnapshotId).ToArray();
                switch (random.Next(5))
                {
                    case 0:
                        updated = MetadataUpdates.SetRef(updated, "b" + random.Next(3), new SnapshotRef(ids[random.Next(ids.Length)], random.Next(2) == 0 ? SnapshotRefType.Branch : SnapshotRefType.Tag, MaxRefAgeMs: random.Next(2) == 0 ? null : 1000), now);
                        break;
                    case 1 when !mainMoved:
                        mainMoved = true;
                        updated = MetadataUpdates.SetRef(updated, SnapshotRef.MainBranch, new SnapshotRef(ids[random.Next(ids.Length)], SnapshotRefType.Branch), now);
                        break;
                    case 1:
                        break;
                    case 2:
                        var refs = updated.Refs.Keys.Where(k => k != SnapshotRef.MainBranch).ToList();
                        if (refs.Count > 0) updated = MetadataUpdates.RemoveRef(updated, refs[random.Next(refs.Count)], now);
                        break;
                    case 3:
                        var main = updated.CurrentSnapshotId;
                        var removable = updated.Snapshots.Select(s => s.SnapshotId).Where(id => id != main).ToList();
                        if (removable.Count > 0) updated = MetadataUpdates.RemoveSnapshots(updated, new HashSet<long> { removable[random.Next(removable.Count)] }, now);
                        break;
                    default:
                        var props = new Dictionary<string, string>(updated.Properties, StringComparer.Ordinal);
                        if (props.Count == 0 || random.Next(2) == 0) props["k" + random.Next(3)] = "v" + random.Next(100);
                        else props.Remove(props.Keys.ElementAt(random.Next(props.Count)));
                        updated = updated with { Properties = props, LastUpdatedMs = now };
                        break;
                }
            }

            var commit = MetadataDiff.Between(@base, updated);
            var replayed = commit.Apply(@base, "db.events", now);

            Assert.That(replayed.Snapshots.Select(s => s.SnapshotId), Is.EqualTo(updated.Snapshots.Select(s => s.SnapshotId)), $"round {round}");
            Assert.That(replayed.Refs, Is.EquivalentTo(updated.Refs), $"round {round}");
            Assert.That(replayed.Properties, Is.EquivalentTo(updated.Properties), $"round {round}");
            Assert.That(replayed.CurrentSnapshotId, Is.EqualTo(updated.CurrentSnapshotId), $"round {round}");
            Assert.That(replayed.SnapshotLog.Select(e => e.SnapshotId), Is.EqualTo(updated.SnapshotLog.Select(e => e.SnapshotId)), $"round {round}");
            Assert.That(commit.Requirements[0], Is.EqualTo(new AssertTableUuid(@base.TableUuid)));
        }
    }

    [Test]
    public void Commit_StatesItselfInTheRestVocabulary()
    {
        var @base = History();
        var head = @base.CurrentSnapshotId!.Value;
        var first = @base.Snapshots[0].SnapshotId;
        var updated = MetadataUpdates.RemoveRef(MetadataUpdates.SetRef(@base, "audit", new SnapshotRef(head, SnapshotRefType.Branch), 5), "v1", 5);
        updated = updated with { Properties = new Dictionary<string, string>(updated.Properties) { ["owner"] = "ml" } };

        using var doc = JsonDocument.Parse(Json(MetadataDiff.Between(@base, updated), @base));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("identifier").GetProperty("namespace")[0].GetString(), Is.EqualTo("db"));
        Assert.That(root.GetProperty("identifier").GetProperty("name").GetString(), Is.EqualTo("events"));
        var requirements = root.GetProperty("requirements").EnumerateArray().Select(r => r.GetRawText()).ToList();
        Assert.That(requirements, Does.Contain($$"""{"type":"assert-table-uuid","uuid":"{{@base.TableUuid}}"}"""));
        Assert.That(requirements, Does.Contain($$"""{"type":"assert-ref-snapshot-id","ref":"audit","snapshot-id":{{@base.Refs["audit"].SnapshotId}}}"""));
        Assert.That(requirements, Does.Contain($$"""{"type":"assert-ref-snapshot-id","ref":"v1","snapshot-id":{{@base.Refs["v1"].SnapshotId}}}"""));
        var updates = root.GetProperty("updates").EnumerateArray().Select(u => u.GetRawText()).ToList();
        Assert.That(updates, Does.Contain($$"""{"action":"set-snapshot-ref","ref-name":"audit","snapshot-id":{{head}},"type":"branch"}"""));
        Assert.That(updates, Does.Contain("""{"action":"remove-snapshot-ref","ref-name":"v1"}"""));
        Assert.That(updates, Does.Contain("""{"action":"set-properties","updates":{"owner":"ml"}}"""));
        Assert.That(first, Is.Not.EqualTo(head));
    }

    [Test]
    public void Append_CommitsAddSnapshotAndSetSnapshotRef_ReadableAsJson()
    {
        var @base = History();
        var snapshot = @base.CurrentSnapshot!;
        var commit = new TableCommit(
            [new AssertRefSnapshotId("main", snapshot.ParentSnapshotId)],
            [new AddSnapshot(snapshot), new SetSnapshotRef("main", new SnapshotRef(snapshot.SnapshotId, SnapshotRefType.Branch))]);
        using var doc = JsonDocument.Parse(Json(commit, @base));
        var add = doc.RootElement.GetProperty("updates")[0];
        Assert.That(add.GetProperty("action").GetString(), Is.EqualTo("add-snapshot"));
        Assert.That(add.GetProperty("snapshot").GetProperty("snapshot-id").GetInt64(), Is.EqualTo(snapshot.SnapshotId));
        Assert.That(add.GetProperty("snapshot").GetProperty("manifest-list").GetString(), Is.EqualTo(snapshot.ManifestList));
    }

    [Test]
    public void Requirements_NotMet_AreCommitConflicts()
    {
        var @base = History();
        var stale = new TableCommit([new AssertRefSnapshotId("main", @base.Snapshots[0].SnapshotId)], [new RemoveSnapshotRef("v1")]);
        var missing = new TableCommit([new AssertRefSnapshotId("nosuch", 1)], [new RemoveSnapshotRef("v1")]);
        var created = new TableCommit([new AssertRefSnapshotId("audit", null)], [new RemoveSnapshotRef("v1")]);
        var replaced = new TableCommit([new AssertTableUuid(Guid.NewGuid())], [new RemoveSnapshotRef("v1")]);
        foreach (var commit in new[] { stale, missing, created, replaced })
        {
            var e = Assert.Throws<FloeException>(() => commit.Apply(@base, "db.events", 1));
            Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.CommitConflict));
            Assert.That(e.Retryable, Is.True);
        }
        Assert.That(new TableCommit([new AssertRefSnapshotId("nosuch", null)], [new RemoveSnapshotRef("v1")]).Apply(@base, "db.events", 1).Refs.ContainsKey("v1"), Is.False);
    }

    [Test]
    public void Diff_OfAChangeNoUpdateExpresses_IsRefused()
    {
        var @base = History();
        var e = Assert.Throws<FloeException>(() => MetadataDiff.Between(@base, @base with { Location = @base.Location + "/elsewhere" }));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.Unsupported));
        Assert.That(e.Message, Does.Contain("location"));
    }

    [Test]
    public void TableCommit_ThroughOperations_LandsAndAnotherWriterSeesIt()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 2, 0)));
        var (metadata, location) = table.Operations.Refresh();
        var head = metadata.CurrentSnapshotId!.Value;

        table.Operations.Commit(metadata, location, new TableCommit(
            [new AssertTableUuid(metadata.TableUuid), new AssertRefSnapshotId("staging", null)],
            [new SetSnapshotRef("staging", new SnapshotRef(head, SnapshotRefType.Branch)), new SetProperties(new Dictionary<string, string> { ["floe.audit"] = "x" })]), metadata.LastUpdatedMs + 1);

        var seen = _t.Warehouse.LoadTable(table.Identifier).Metadata;
        Assert.That(seen.Refs["staging"].SnapshotId, Is.EqualTo(head));
        Assert.That(seen.Properties["floe.audit"], Is.EqualTo("x"));
        Assert.That(seen.MetadataLog.Last().MetadataFile, Is.EqualTo(location));
    }
}
