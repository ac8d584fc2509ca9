using System.Globalization;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Puffin;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Merge-on-read on a format-v3 table: one Puffin file holding a <c>deletion-vector-v1</c> blob per data file
/// touched. A data file has at most one deletion vector per snapshot, so the new vector holds the file's earlier
/// deleted positions too (its previous vector and any position deletes that name it), and the vector and single-file
/// position delete files it absorbs are removed from the table in the same commit.
/// </summary>
internal sealed class DeletionVectorDeletes : MergeOnReadDeletes
{
    /// <summary>The field id the deletion vector blobs list: the reserved <c>_pos</c> metadata column.</summary>
    private const int RowPositionFieldId = 2147483645;

    private readonly PuffinWriter _puffin = new("Floe");
    private readonly List<(DataFile Data, PuffinBlob Blob, long Cardinality)> _vectors = new();
    private readonly string _location;
    private IReadOnlyList<DataFile>? _files;
    private bool _written;

    public DeletionVectorDeletes(Table table, TableScan scan, Expression filter, bool serializable)
        : base(table, scan, filter, serializable)
    {
        var metadata = table.Metadata;
        var dataDir = metadata.Properties.TryGetValue("write.data.path", out var p) ? p.TrimEnd('/') : metadata.Location.TrimEnd('/') + "/data";
        _location = $"{dataDir}/{Guid.NewGuid():N}-dv.puffin";
    }

    protected override void Mark(FileScanTask task, List<long> matched)
    {
        var positions = new HashSet<long>(matched);
        if (Loader.PositionsFor(task) is { } earlier) positions.UnionWith(earlier);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["referenced-data-file"] = task.File.FilePath,
            ["cardinality"] = positions.Count.ToString(CultureInfo.InvariantCulture),
        };
        var blob = _puffin.Add(DeletionVector.BlobType, [RowPositionFieldId], DeletionVector.Encode(positions), properties);
        _vectors.Add((task.File, blob, positions.Count));
        foreach (var delete in ScopedDeletes(task)) Delta.RemoveDeletes(delete);
    }

    protected override IReadOnlyList<DataFile> WriteDeleteFiles()
    {
        if (_files is not null) return _files;
        if (_vectors.Count == 0) return _files = Array.Empty<DataFile>();
        var content = _puffin.Finish();
        Table.Io.WriteAtomic(_location, content);
        _written = true;
        BytesWritten += content.Length;
        DeleteFilesWritten = _vectors.Count;
        var files = new List<DataFile>(_vectors.Count);
        foreach (var (data, blob, cardinality) in _vectors)
        {
            files.Add(new DataFile
            {
                Content = FileContent.PositionDeletes,
                FilePath = _location,
                FileFormat = "PUFFIN",
                SpecId = data.SpecId,
                Partition = data.Partition,
                RecordCount = cardinality,
                FileSizeInBytes = content.Length,
                ReferencedDataFile = data.FilePath,
                ContentOffset = blob.Offset,
                ContentSizeInBytes = blob.Length,
            });
        }
        return _files = files;
    }

    public override void Abort()
    {
        if (_written) Table.Io.Delete(_location);
    }
}
