using Floe.Core.Io;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Tests.Maintenance;

/// <summary>Helpers that look at a table's files on disk.</summary>
internal static class MaintenanceFiles
{
    public static string Local(Table table, string location) => Path.GetFullPath(((LocalFileIO)table.Io).Resolve(location));

    /// <summary>Every file under the table's folder.</summary>
    public static HashSet<string> OnDisk(Table table) =>
        Directory.EnumerateFiles(Local(table, table.Metadata.Location), "*", SearchOption.AllDirectories).Select(Path.GetFullPath).ToHashSet();

    /// <summary>Data files live in <paramref name="snapshot"/>.</summary>
    public static HashSet<string> LiveDataFiles(Table table, Snapshot snapshot)
    {
        var result = new HashSet<string>();
        foreach (var m in ManifestListReader.Read(table.Io, snapshot.ManifestList))
        {
            foreach (var e in ManifestReader.Read(table.Io, m, table.Metadata.SpecById, null))
            {
                if (e.Status != ManifestEntryStatus.Deleted) result.Add(Local(table, e.DataFile.FilePath));
            }
        }
        return result;
    }

    /// <summary>The manifest list, manifests and live data files of <paramref name="snapshot"/>.</summary>
    public static HashSet<string> Tree(Table table, Snapshot snapshot)
    {
        var result = LiveDataFiles(table, snapshot);
        result.Add(Local(table, snapshot.ManifestList));
        foreach (var m in ManifestListReader.Read(table.Io, snapshot.ManifestList)) result.Add(Local(table, m.ManifestPath));
        return result;
    }
}
