using Floe.Iceberg.Catalog;
using Floe.Iceberg.Manifests;

namespace Floe.Stress.Tests;

/// <summary>The files of the stress table on disk, and the ones its metadata references.</summary>
internal static class TableFiles
{
    /// <summary>Every file under the table's folder, as absolute paths.</summary>
    public static HashSet<string> OnDisk(string tableDirectory) =>
        Directory.Exists(tableDirectory)
            ? Directory.EnumerateFiles(tableDirectory, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Files reachable from the current metadata: it and the metadata log's files, every snapshot's manifest list,
    /// manifests and data files (live or deleted, since older snapshots still read them).
    /// </summary>
    public static HashSet<string> Referenced(string warehouse, string? catalog = null)
    {
        var table = Floe.Application.Warehouses.WarehouseFactory.Open(warehouse, catalog, create: false).LoadTable(Floe.Iceberg.Catalog.TableIdentifier.Parse(EventTable.Name));
        var metadata = table.Metadata;
        var files = new HashSet<string>(StringComparer.Ordinal) { LocalPath(table.MetadataLocation) };
        foreach (var entry in metadata.MetadataLog) files.Add(LocalPath(entry.MetadataFile));
        foreach (var snapshot in metadata.Snapshots)
        {
            files.Add(LocalPath(snapshot.ManifestList));
            foreach (var manifest in ManifestListReader.Read(table.Io, snapshot.ManifestList))
            {
                if (!files.Add(LocalPath(manifest.ManifestPath))) continue;
                foreach (var entry in ManifestReader.Read(table.Io, manifest, metadata.SpecById, metadata.CurrentSchema))
                {
                    files.Add(LocalPath(entry.DataFile.FilePath));
                }
            }
        }
        return files;
    }

    /// <summary>The current snapshot id of the table (loaded fresh from the catalog).</summary>
    public static long? CurrentSnapshotId(string warehouse) =>
        new Warehouse(warehouse).LoadTable(Floe.Iceberg.Catalog.TableIdentifier.Parse(EventTable.Name)).Metadata.CurrentSnapshotId;

    /// <summary>The parent of snapshot <paramref name="snapshotId"/>.</summary>
    public static long? ParentOf(string warehouse, long snapshotId) =>
        new Warehouse(warehouse).LoadTable(Floe.Iceberg.Catalog.TableIdentifier.Parse(EventTable.Name)).Metadata.SnapshotById(snapshotId)?.ParentSnapshotId;

    /// <summary>What kind of table file <paramref name="path"/> is: data, manifest, manifest-list, metadata or temp.</summary>
    public static string KindOf(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".parquet", StringComparison.Ordinal)) return "data";
        if (name.EndsWith(".tmp", StringComparison.Ordinal)) return "temp";
        if (name.EndsWith(".metadata.json", StringComparison.Ordinal)) return "metadata";
        if (name.StartsWith("snap-", StringComparison.Ordinal)) return "manifest-list";
        if (name.EndsWith(".avro", StringComparison.Ordinal)) return "manifest";
        return "other";
    }

    private static string LocalPath(string location) =>
        location.StartsWith("file://", StringComparison.Ordinal) ? location["file://".Length..] :
        location.StartsWith("file:", StringComparison.Ordinal) ? location["file:".Length..] : location;
}
