using Floe.Core.Io;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>The files one snapshot added and removed, read from the manifests that snapshot wrote.</summary>
public sealed class SnapshotChanges
{
    private SnapshotChanges(List<DataFile> addedData, List<DataFile> removedData, List<DataFile> addedDeletes, List<DataFile> removedDeletes)
    {
        AddedDataFiles = addedData;
        RemovedDataFiles = removedData;
        AddedDeleteFiles = addedDeletes;
        RemovedDeleteFiles = removedDeletes;
    }

    /// <summary>Data files the snapshot added.</summary>
    public IReadOnlyList<DataFile> AddedDataFiles { get; }

    /// <summary>Data files the snapshot removed.</summary>
    public IReadOnlyList<DataFile> RemovedDataFiles { get; }

    /// <summary>Delete files the snapshot added.</summary>
    public IReadOnlyList<DataFile> AddedDeleteFiles { get; }

    /// <summary>Delete files the snapshot removed.</summary>
    public IReadOnlyList<DataFile> RemovedDeleteFiles { get; }

    /// <summary>
    /// Reads the changes of <paramref name="snapshot"/>: entries whose snapshot id is the snapshot's, in the manifests
    /// it added (a snapshot never writes its changes into a manifest another snapshot added).
    /// </summary>
    public static SnapshotChanges Of(IFileIO io, TableMetadata metadata, Snapshot snapshot)
    {
        var addedData = new List<DataFile>();
        var removedData = new List<DataFile>();
        var addedDeletes = new List<DataFile>();
        var removedDeletes = new List<DataFile>();
        var schema = metadata.CurrentSchema;
        foreach (var manifest in ManifestListReader.Read(io, snapshot.ManifestList))
        {
            if (manifest.AddedSnapshotId != snapshot.SnapshotId) continue;
            foreach (var entry in ManifestReader.Read(io, manifest, metadata.SpecById, schema))
            {
                if (entry.SnapshotId != snapshot.SnapshotId || entry.Status == ManifestEntryStatus.Existing) continue;
                var isData = entry.DataFile.Content == FileContent.Data;
                var list = entry.Status == ManifestEntryStatus.Added
                    ? isData ? addedData : addedDeletes
                    : isData ? removedData : removedDeletes;
                list.Add(entry.DataFile);
            }
        }
        return new SnapshotChanges(addedData, removedData, addedDeletes, removedDeletes);
    }
}
