using Floe.Core.Io;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Every file a table's metadata references: the current metadata file and those in its metadata log, and for
/// every snapshot its manifest list, manifests, data files and delete files. What purge deletes and what orphan
/// removal keeps. A missing or unreadable manifest list or manifest fails the walk: a partial set would make live
/// files look unreferenced.
/// </summary>
public static class ReachableFiles
{
    /// <summary>The referenced locations, each once (compared by what they resolve to), metadata files last.</summary>
    public static IReadOnlyList<string> Locations(IFileIO io, TableMetadata metadata, string metadataLocation)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(metadata);
        var keys = FileLocations.NewSet();
        var result = new List<string>();
        void Add(string location)
        {
            if (keys.Add(FileLocations.Key(io, location))) result.Add(location);
        }

        var seenManifests = FileLocations.NewSet();
        foreach (var snapshot in metadata.Snapshots)
        {
            foreach (var manifest in ManifestListReader.Read(io, snapshot.ManifestList))
            {
                if (!seenManifests.Add(FileLocations.Key(io, manifest.ManifestPath))) continue;
                foreach (var entry in ManifestReader.Read(io, manifest, metadata.SpecById, null))
                {
                    Add(entry.DataFile.FilePath);
                }
                Add(manifest.ManifestPath);
            }
            Add(snapshot.ManifestList);
        }
        foreach (var entry in metadata.MetadataLog) Add(entry.MetadataFile);
        Add(metadataLocation);
        return result;
    }

    /// <summary>The keys (<see cref="FileLocations.Key"/>) of <see cref="Locations"/>.</summary>
    internal static HashSet<string> Keys(IFileIO io, TableMetadata metadata, string metadataLocation)
    {
        var set = FileLocations.NewSet();
        foreach (var location in Locations(io, metadata, metadataLocation)) set.Add(FileLocations.Key(io, location));
        return set;
    }
}
