using Floe.Iceberg.Catalog;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Tests.Tables;

namespace Floe.Iceberg.Tests.Maintenance;

/// <summary>Events tables of a chosen format version and delete mode, and what their snapshots reference.</summary>
internal static class RowDeleteTables
{
    /// <summary>
    /// Creates the events table with <c>write.delete.mode</c> = <paramref name="mode"/>; for format 3 the fresh table's
    /// metadata is rewritten as v3 and swapped in through the catalog (until Floe creates v3 tables itself).
    /// </summary>
    public static Table Create(TestTables t, int formatVersion, RowDeleteMode mode, bool partitioned, string name = "demo.events",
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var properties = new Dictionary<string, string>
        {
            [RowDeleteProperties.Mode] = mode == RowDeleteMode.MergeOnRead ? "merge-on-read" : "copy-on-write",
        };
        if (extra is not null) foreach (var (k, v) in extra) properties[k] = v;
        var id = TableIdentifier.Parse(name);
        var table = t.Warehouse.CreateTable(id, TestTables.EventsSchema, partitioned ? TestTables.DaySpec : PartitionSpec.Unpartitioned, properties);
        if (formatVersion == 2) return table;
        var v3 = table.Metadata with { FormatVersion = 3, NextRowId = 0 };
        var location = TableOperations.NewMetadataLocation(v3.Location, TableOperations.VersionOf(table.MetadataLocation) + 1);
        table.Io.WriteAtomic(location, TableMetadataParser.ToUtf8Json(v3));
        t.Warehouse.Catalog.SwapMetadataLocation(id, table.MetadataLocation, location);
        return t.Warehouse.LoadTable(id);
    }

    /// <summary>The live entries of <paramref name="snapshot"/> (data and delete files).</summary>
    public static List<ManifestEntry> LiveEntries(Table table, Snapshot snapshot)
    {
        var result = new List<ManifestEntry>();
        foreach (var m in ManifestListReader.Read(table.Io, snapshot.ManifestList))
        {
            foreach (var e in ManifestReader.Read(table.Io, m, table.Metadata.SpecById, null))
            {
                if (e.Status != ManifestEntryStatus.Deleted) result.Add(e);
            }
        }
        return result;
    }
}
