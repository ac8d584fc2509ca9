using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Maintenance;

[TestFixture]
public sealed class RemoveOrphanFilesTests
{
    private TestTables _t = null!;

    [SetUp]
    public void SetUp() => _t = new TestTables();

    [TearDown]
    public void TearDown() => _t.Dispose();

    private static string Plant(Floe.Iceberg.Tables.Table table, string relative, TimeSpan age)
    {
        var path = Path.Combine(MaintenanceFiles.Local(table, table.Metadata.Location), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "orphan");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return Path.GetFullPath(path);
    }

    [Test]
    public void RemoveOrphans_DeletesPlantedFilesButNothingReferenced()
    {
        var table = _t.CreateEvents();
        var s1 = TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0, 1 }, 3, 0)));
        var s2 = TestTables.Overwrite(table, TestTables.Events(TestTables.Rows(new[] { 1 }, 2, 9)));
        var dataOrphan = Plant(table, "data/event_time_day=2024-01-01/stray.parquet", TimeSpan.FromDays(10));
        var metadataOrphan = Plant(table, "metadata/stray-m0.avro", TimeSpan.FromDays(10));
        var before = MaintenanceFiles.OnDisk(table);
        var rowsAtS1 = TestTables.Read(new TableScan(table.Refresh()).UseSnapshot(s1.SnapshotId));
        var rowsAtS2 = TestTables.Read(new TableScan(table).UseSnapshot(s2.SnapshotId));

        // A cut-off in the future makes every file a candidate: only references protect them.
        var result = new RemoveOrphanFiles(table).OlderThan(DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()).Execute();

        Assert.That(result.OrphanFiles.Select(Path.GetFullPath), Is.EquivalentTo(new[] { dataOrphan, metadataOrphan }));
        before.ExceptWith(new[] { dataOrphan, metadataOrphan });
        Assert.That(MaintenanceFiles.OnDisk(table), Is.EquivalentTo(before));
        Same.Sequence(TestTables.Read(new TableScan(table.Refresh()).UseSnapshot(s1.SnapshotId)), rowsAtS1);
        Same.Sequence(TestTables.Read(new TableScan(table).UseSnapshot(s2.SnapshotId)), rowsAtS2);
    }

    [Test]
    public void RemoveOrphans_DefaultGracePeriod_KeepsYoungFiles()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var young = Plant(table, "data/young.parquet", TimeSpan.FromDays(1));
        var old = Plant(table, "data/old.parquet", TimeSpan.FromDays(4));

        var result = new RemoveOrphanFiles(table).Execute();

        Assert.That(result.OrphanFiles.Select(Path.GetFullPath), Is.EqualTo(new[] { old }));
        Assert.That(File.Exists(young), Is.True);
        Assert.That(File.Exists(old), Is.False);
    }

    [Test]
    public void RemoveOrphans_DryRun_ListsWithoutDeleting()
    {
        var table = _t.CreateEvents();
        TestTables.Append(table, TestTables.Events(TestTables.Rows(new[] { 0 }, 3, 0)));
        var orphan = Plant(table, "data/x.parquet", TimeSpan.FromDays(5));

        var result = new RemoveOrphanFiles(table).DryRun().Execute();

        Assert.That(result.DryRun, Is.True);
        Assert.That(result.OrphanFiles.Select(Path.GetFullPath), Is.EqualTo(new[] { orphan }));
        Assert.That(File.Exists(orphan), Is.True);
    }
}
