using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transforms;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Writing;

/// <summary>
/// Writes format-v2 position delete files: per partition one Parquet file of (<c>file_path</c>, <c>pos</c>) rows with
/// the spec's reserved field ids, sorted by path and then position as the spec requires. A file that names a single
/// data file records it as <c>referenced_data_file</c>, so readers and later maintenance can scope it.
/// Nothing is committed here; <see cref="Abort"/> deletes what was written.
/// </summary>
public sealed class PositionDeleteWriter
{
    /// <summary>The position delete schema: <c>file_path</c> (2147483546) and <c>pos</c> (2147483545).</summary>
    public static Schema DeleteSchema => PositionDeleteReader.DeleteSchema;

    private readonly Table _table;
    private readonly Dictionary<(int SpecId, PartitionData Partition), SortedDictionary<string, long[]>> _byPartition = new();
    private readonly List<string> _written = new();
    private readonly string _writeId = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Creates a writer for delete files of <paramref name="table"/>.</summary>
    public PositionDeleteWriter(Table table) => _table = table;

    /// <summary>Marks rows <paramref name="positions"/> (any order, no duplicates) of data file <paramref name="dataFile"/> deleted.</summary>
    public void Delete(DataFile dataFile, IReadOnlyCollection<long> positions)
    {
        var key = (dataFile.SpecId, dataFile.Partition);
        if (!_byPartition.TryGetValue(key, out var files))
        {
            files = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
            _byPartition[key] = files;
        }
        var sorted = positions.ToArray();
        System.Array.Sort(sorted);
        files[dataFile.FilePath] = files.TryGetValue(dataFile.FilePath, out var existing) ? existing.Concat(sorted).Distinct().Order().ToArray() : sorted;
    }

    /// <summary>Writes one file per partition and returns their delete-file records.</summary>
    public IReadOnlyList<DataFile> Complete()
    {
        var schemaJson = SchemaParser.ToJson(DeleteSchema);
        var options = ParquetWriterOptions.FromTableProperties(_table.Metadata.Properties);
        var arrowSchema = Floe.Core.Arrow.ArrowSchemas.ToArrow(DeleteSchema);
        var result = new List<DataFile>();
        var counter = 0;
        foreach (var ((specId, partition), files) in _byPartition)
        {
            var location = NewLocation(specId, partition, counter++);
            _written.Add(location);
            using var writer = new ParquetDataWriter(_table.Io, location, DeleteSchema, schemaJson, options);
            foreach (var (path, positions) in files)
            {
                // One batch per data file: the path column is a single repeated value, cheap to build.
                var paths = new StringArray.Builder();
                var pos = new Int64Array.Builder();
                paths.Reserve(positions.Length);
                pos.Reserve(positions.Length);
                foreach (var p in positions)
                {
                    paths.Append(path);
                    pos.Append(p);
                }
                writer.Write(new RecordBatch(arrowSchema, new IArrowArray[] { paths.Build(), pos.Build() }, positions.Length));
            }
            var metrics = writer.Close();
            result.Add(metrics.ToDataFile(location, DeleteSchema, partition, specId) with
            {
                Content = FileContent.PositionDeletes,
                ReferencedDataFile = files.Count == 1 ? files.Keys.First() : null,
            });
        }
        return result;
    }

    /// <summary>Deletes every file this writer wrote (for a delete that did not commit).</summary>
    public void Abort()
    {
        foreach (var location in _written) _table.Io.Delete(location);
    }

    private string NewLocation(int specId, PartitionData partition, int counter)
    {
        var metadata = _table.Metadata;
        var dataDir = metadata.Properties.TryGetValue("write.data.path", out var p) ? p.TrimEnd('/') : metadata.Location.TrimEnd('/') + "/data";
        var spec = metadata.SpecById(specId);
        var partitionPath = spec.Fields.Count == 0 ? "" : TransformFunctions.PartitionPath(spec, metadata.CurrentSchema, partition) + "/";
        return $"{dataDir}/{partitionPath}{counter:D5}-{_writeId}-deletes.parquet";
    }
}
