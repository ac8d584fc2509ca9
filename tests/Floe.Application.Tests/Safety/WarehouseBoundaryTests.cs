using System.Text.Json.Nodes;
using Floe.Application.Ingest;
using Floe.Application.Maintenance;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Io;
using NUnit.Framework;

namespace Floe.Application.Tests.Safety;

/// <summary>
/// The hostile-warehouse suite: names, edited metadata, symbolic links and registered tables that tried to make Floe
/// touch files outside its warehouse. Each case keeps a "victim" folder beside the warehouse and checks that it is
/// exactly as it was afterwards.
/// </summary>
[TestFixture]
public sealed class WarehouseBoundaryTests
{
    private const string Schema = "id:long not null,ts:timestamptz not null,amount:double";
    private const string Csv = "id,ts,amount\n1,2024-01-01T10:00:00Z,1.5\n2,2024-01-02T11:00:00Z,2.5\n3,2024-01-02T12:00:00Z,3.5\n";

    private TempWarehouse _w = null!;
    private string _victim = null!;

    [SetUp]
    public void SetUp()
    {
        _w = new TempWarehouse();
        _victim = Path.Combine(_w.Directory, "victim");
        Directory.CreateDirectory(Path.Combine(_victim, "data"));
        File.WriteAllText(Path.Combine(_victim, "precious.txt"), "do not delete");
        File.WriteAllText(Path.Combine(_victim, "data", "old.parquet"), "not a table file");
        File.SetLastWriteTimeUtc(Path.Combine(_victim, "data", "old.parquet"), DateTime.UtcNow.AddDays(-30));
    }

    [TearDown]
    public void TearDown() => _w.Dispose();

    private string[] VictimFiles() => Directory.GetFiles(_victim, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    private string Warehouse => _w.Warehouse.Directory;

    private void CreateWithData(string name)
    {
        _w.Tables.Create(name, Schema, "day(ts)");
        _w.Ingest.Ingest(name, _w.WriteFile(Guid.NewGuid().ToString("N") + ".csv", Csv), new IngestOptions());
        _w.Ingest.Ingest(name, _w.WriteFile(Guid.NewGuid().ToString("N") + ".csv", Csv), new IngestOptions { Mode = IngestMode.OverwritePartitions });
    }

    public static IEnumerable<string> HostileNames()
    {
        yield return ".x.t";
        yield return "x..t";
        yield return "x.t.";
        yield return "..t";
        yield return "x.";
        yield return ".t";
        yield return "a/b.t";
        yield return "a.b/../../t";
        yield return "/etc.t";
        yield return "x.-t";
        yield return "x y.t";
        yield return "x.t\0";
        yield return "ns.tä";
        yield return "ns." + new string('t', 256);
    }

    [TestCaseSource(nameof(HostileNames))]
    public void Create_HostileName_IsRefusedAndCreatesNothing(string name)
    {
        var before = Directory.GetFileSystemEntries(_w.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var e = Assert.Throws<FloeException>(() => _w.Tables.Create(name, Schema));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Not.Contain("\0"));
        var after = Directory.GetFileSystemEntries(_w.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.That(after, Is.EqualTo(before));
        Assert.That(Directory.Exists("/x/t"), Is.False);
    }

    [Test]
    public void Identifier_Constructor_ChecksEveryPart()
    {
        Assert.Throws<FloeException>(() => _ = new TableIdentifier("", "t"));
        Assert.Throws<FloeException>(() => _ = new TableIdentifier(".x", "t"));
        Assert.Throws<FloeException>(() => _ = new TableIdentifier("x", ".."));
        Assert.Throws<FloeException>(() => _ = new TableIdentifier("x", "a.b"));
        Assert.That(new TableIdentifier("a.b", "t_1-x").NamespaceLevels, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Create_MultiLevelNamespace_StaysInsideTheWarehouse()
    {
        var description = _w.Tables.Create("a.b.c.t", Schema);
        var folder = WarehouseLayout.TableFolder(Warehouse, TableIdentifier.Parse("a.b.c.t"));
        Assert.That(folder, Is.EqualTo(Path.Combine(Warehouse, "a", "b", "c", "t")));
        Assert.That(PathContainment.IsInside(Warehouse, folder));
        Assert.That(description.Location, Does.Contain(folder));
    }

    [Test]
    public void Purge_MetadataLocationEditedToPointOutside_DeletesOnlyTheTablesOwnFiles()
    {
        CreateWithData("ns.t");
        var table = _w.Warehouse.LoadTable(TableIdentifier.Parse("ns.t"));
        var tableFolder = WarehouseLayout.TableFolder(Warehouse, table.Identifier);
        var referenced = Floe.Iceberg.Maintenance.ReachableFiles.Locations(table.Io, table.Metadata, table.MetadataLocation);
        Assert.That(referenced.Count, Is.GreaterThan(6));
        // An unreferenced file in the table's folder is not the purge's to delete either (Iceberg's rule).
        var stray = Path.Combine(tableFolder, "data", "stray.txt");
        File.WriteAllText(stray, "x");
        EditCurrentMetadata(table.MetadataLocation, json => json["location"] = "file://" + _victim);

        var victimBefore = VictimFiles();
        var result = _w.Tables.Drop("ns.t", purge: true);

        Assert.That(VictimFiles(), Is.EqualTo(victimBefore));
        Assert.That(File.ReadAllText(Path.Combine(_victim, "precious.txt")), Is.EqualTo("do not delete"));
        Assert.That(result.DeletedFiles, Has.Count.EqualTo(referenced.Count));
        Assert.That(result.SkippedFiles, Is.Empty);
        Assert.That(Directory.GetFiles(tableFolder, "*", SearchOption.AllDirectories), Is.EqualTo(new[] { stray }));
        Assert.That(_w.Warehouse.Catalog.TableExists(TableIdentifier.Parse("ns.t")), Is.False);
    }

    [Test]
    public void Purge_MetadataLogNamingAFileOutside_LeavesThatFileAndReportsIt()
    {
        CreateWithData("ns.t");
        var table = _w.Warehouse.LoadTable(TableIdentifier.Parse("ns.t"));
        var precious = Path.Combine(_victim, "precious.txt");
        EditCurrentMetadata(table.MetadataLocation, json =>
            json["metadata-log"]!.AsArray().Add(new JsonObject { ["timestamp-ms"] = 1, ["metadata-file"] = precious }));
        EditCurrentMetadata(table.MetadataLocation, json =>
            json["metadata-log"]!.AsArray().Add(new JsonObject { ["timestamp-ms"] = 2, ["metadata-file"] = Path.Combine(Warehouse, "ns", "t", "..", "..", "..", "victim", "data", "old.parquet") }));

        var victimBefore = VictimFiles();
        var result = _w.Tables.Drop("ns.t", purge: true);

        Assert.That(VictimFiles(), Is.EqualTo(victimBefore));
        Assert.That(result.SkippedFiles, Has.Count.EqualTo(2));
        Assert.That(result.SkippedFiles, Has.All.Contain("outside the warehouse"));
    }

    [Test]
    public void Purge_ThroughADirectorySymlink_DeletesNothingThroughIt()
    {
        CreateWithData("ns.t");
        var tableFolder = WarehouseLayout.TableFolder(Warehouse, TableIdentifier.Parse("ns.t"));
        // Replace the data folder by a link to the victim, with the data files moved there under the same names.
        var data = Path.Combine(tableFolder, "data");
        var moved = Path.Combine(_victim, "data");
        foreach (var file in Directory.GetFiles(data, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(moved, Path.GetRelativePath(data, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(file, target);
        }
        Directory.Delete(data, recursive: true);
        Directory.CreateSymbolicLink(data, moved);

        var victimBefore = VictimFiles();
        var result = _w.Tables.Drop("ns.t", purge: true);

        Assert.That(VictimFiles(), Is.EqualTo(victimBefore));
        Assert.That(result.SkippedFiles, Is.Not.Empty);
        Assert.That(result.SkippedFiles, Has.All.Contain("symbolic link"));
    }

    [Test]
    public void RemoveOrphans_NeverFollowsOrDeletesThroughSymlinks()
    {
        CreateWithData("ns.t");
        var tableFolder = WarehouseLayout.TableFolder(Warehouse, TableIdentifier.Parse("ns.t"));
        Directory.CreateSymbolicLink(Path.Combine(tableFolder, "data", "linked-dir"), Path.Combine(_victim, "data"));
        File.CreateSymbolicLink(Path.Combine(tableFolder, "data", "linked-file.parquet"), Path.Combine(_victim, "precious.txt"));
        var realOrphan = Path.Combine(tableFolder, "data", "orphan.parquet");
        File.WriteAllText(realOrphan, "orphan");
        File.SetLastWriteTimeUtc(realOrphan, DateTime.UtcNow.AddDays(-30));

        var victimBefore = VictimFiles();
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("O");
        var dry = new MaintenanceService(_w.Warehouse).RemoveOrphans("ns.t", future, dryRun: true);
        var result = new MaintenanceService(_w.Warehouse).RemoveOrphans("ns.t", future);

        Assert.That(dry.OrphanFiles, Is.EqualTo(new[] { realOrphan }));
        Assert.That(result.OrphanFiles, Is.EqualTo(new[] { realOrphan }));
        Assert.That(File.Exists(realOrphan), Is.False);
        Assert.That(VictimFiles(), Is.EqualTo(victimBefore));
        Assert.That(_w.ScanLines("ns.t"), Has.Count.EqualTo(4), "the table still reads whole");
    }

    [Test]
    public void ConfinedIo_RefusesEveryLocationOutside()
    {
        var io = LocalFileIO.Confined(Warehouse);
        Assert.That(io.Resolve("ns/t/x"), Is.EqualTo(Path.Combine(Warehouse, "ns", "t", "x")));
        foreach (var location in new[] { "../victim/precious.txt", _victim + "/precious.txt", "file://" + _victim, "file:/etc/passwd", "ns/../../victim", "s3://bucket/t/x", "ns/t/\0x" })
        {
            var e = Assert.Throws<FloeException>(() => io.Resolve(location), location);
            Assert.That(e!.Code, Is.AnyOf(FloeErrorCode.InvalidData, FloeErrorCode.InvalidArgument), location);
        }
        Assert.Throws<FloeException>(() => io.Delete(_victim + "/precious.txt"));
        Assert.Throws<FloeException>(() => io.List(_victim).ToList());
        Assert.That(File.Exists(Path.Combine(_victim, "precious.txt")));
    }

    [Test]
    public void RegisteredTable_FileDeletionNeedsTheExplicitFlag()
    {
        // A table another engine wrote: a folder outside the warehouse, registered by its metadata file.
        CreateWithData("src.t");
        var source = _w.Warehouse.LoadTable(TableIdentifier.Parse("src.t"));
        var foreign = Path.Combine(_w.Directory, "foreign", "t");
        CopyFolder(WarehouseLayout.TableFolder(Warehouse, source.Identifier), foreign);
        var metadataFile = Path.Combine(foreign, "metadata", Path.GetFileName(source.MetadataLocation));
        EditCurrentMetadata(metadataFile, json => json["location"] = "file://" + WarehouseLayout.TableFolder(Warehouse, source.Identifier));
        _w.Tables.Register("ext.t", metadataFile);
        var stray = Path.Combine(foreign, "data", "not-iceberg.bin");
        File.WriteAllText(stray, "someone else's");
        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddDays(-30));
        string[] ForeignFiles() => Directory.GetFiles(foreign, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var before = ForeignFiles();
        var maintenance = new MaintenanceService(_w.Warehouse);
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("O");

        var purge = Assert.Throws<FloeException>(() => _w.Tables.Drop("ext.t", purge: true));
        Assert.That(purge!.Message, Does.Contain("--delete-registered-files"));
        Assert.That(_w.Warehouse.Catalog.TableExists(TableIdentifier.Parse("ext.t")), "a refused purge drops nothing");
        var orphans = Assert.Throws<FloeException>(() => maintenance.RemoveOrphans("ext.t", future));
        Assert.That(orphans!.Message, Does.Contain("--delete-registered-files"));
        Assert.That(maintenance.RemoveOrphans("ext.t", future, dryRun: true).OrphanFiles, Is.EqualTo(new[] { stray }));
        var expire = maintenance.ExpireSnapshots("ext.t", future, retainLast: 1);
        Assert.That(expire.ExpiredSnapshotIds, Has.Count.EqualTo(1));
        Assert.That(expire.FilesKept, Is.True);
        Assert.That(ForeignFiles().Except(before), Is.Not.Empty, "expiry wrote new metadata");
        Assert.That(before.Except(ForeignFiles()), Is.Empty, "and deleted nothing");

        var removed = maintenance.RemoveOrphans("ext.t", future, deleteRegisteredFiles: true);
        Assert.That(removed.OrphanFiles, Does.Contain(stray));
        var dropped = _w.Tables.Drop("ext.t", purge: true, deleteRegisteredFiles: true);
        Assert.That(dropped.DeletedFiles, Is.Not.Empty);
        Assert.That(dropped.SkippedFiles, Is.Empty);
        Assert.That(_w.ScanLines("src.t"), Has.Count.EqualTo(4), "the table it was copied from is untouched");
    }

    private static void EditCurrentMetadata(string metadataLocation, Action<JsonObject> edit)
    {
        var path = metadataLocation.StartsWith("file://", StringComparison.Ordinal) ? metadataLocation["file://".Length..] : metadataLocation;
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

[TestFixture]
public sealed class TableCheckTests
{
    [Test]
    public void Check_FindsMissingAndTruncatedFiles_AndPassesAWholeTable()
    {
        using var w = new TempWarehouse();
        w.Tables.Create("ns.t", "id:long not null,ts:timestamptz not null,amount:double", "day(ts)");
        w.Ingest.Ingest("ns.t", w.WriteFile("a.csv", "id,ts,amount\n1,2024-01-01T10:00:00Z,1.5\n2,2024-01-02T11:00:00Z,2.5\n3,2024-01-03T12:00:00Z,3.5\n"), new IngestOptions());
        var maintenance = new MaintenanceService(w.Warehouse);
        var healthy = maintenance.Check("ns.t");
        Assert.That(healthy.Healthy, Is.True, MaintenanceReports.ToText(healthy));
        Assert.That(healthy.FilesChecked, Is.EqualTo(5), "manifest list, manifest, three data files");

        var data = Directory.GetFiles(Path.Combine(w.Warehouse.Directory, "ns", "t", "data"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        File.Delete(data[0]);
        using (var stream = new FileStream(data[1], FileMode.Open)) stream.SetLength(stream.Length - 7);
        var damaged = maintenance.Check("ns.t");

        Assert.That(damaged.Healthy, Is.False);
        Assert.That(damaged.Problems.Select(p => Path.GetFileName(new Uri(p.Location, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(p.Location).LocalPath : p.Location)),
            Is.EquivalentTo(new[] { Path.GetFileName(data[0]), Path.GetFileName(data[1]) }));
        Assert.That(damaged.Problems.Select(p => p.Problem), Has.Some.EqualTo("missing").And.Some.Contains("size"));
        Assert.That(w.Scan.Count("ns.t", new Floe.Application.Scanning.ScanRequest()).Rows, Is.EqualTo(3), "counts still come from the manifests, which is why the check exists");
    }
}
