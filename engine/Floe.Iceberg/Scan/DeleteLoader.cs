using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Iceberg.Puffin;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Writing;
using Apache.Arrow;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

/// <summary>
/// Loads delete files once per scan and answers, per data file, which row positions are deleted and which
/// equality keys delete rows. Position deletes that name other data files (or files no longer live) are ignored.
/// </summary>
internal sealed class DeleteLoader
{
    /// <summary>Reserved field ids of the position delete schema (spec): file_path and pos.</summary>
    private static readonly Schema PositionDeleteSchema = new(0, new[]
    {
        new NestedField(2147483546, "file_path", true, PrimitiveType.String),
        new NestedField(2147483545, "pos", true, PrimitiveType.Long),
    });

    private readonly IFileIO _io;
    private readonly Schema _tableSchema;
    private readonly Dictionary<string, Dictionary<string, HashSet<long>>> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _equality = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _puffinFiles = new(StringComparer.Ordinal);

    public DeleteLoader(IFileIO io, Schema tableSchema)
    {
        _io = io;
        _tableSchema = tableSchema;
    }

    public IReadOnlySet<long>? PositionsFor(FileScanTask task)
    {
        HashSet<long>? result = null;
        foreach (var delete in task.Deletes)
        {
            if (delete.Content != FileContent.PositionDeletes) continue;
            if (IsDeletionVector(delete))
            {
                // A DV names exactly one data file; the index matched it by referenced_data_file already.
                (result ??= new HashSet<long>()).UnionWith(LoadDeletionVector(delete));
                continue;
            }
            if (!_positions.TryGetValue(delete.FilePath, out var byFile))
            {
                byFile = LoadPositions(delete);
                _positions[delete.FilePath] = byFile;
            }
            if (byFile.TryGetValue(task.File.FilePath, out var positions))
            {
                result ??= new HashSet<long>();
                result.UnionWith(positions);
            }
        }
        return result;
    }

    public EqualityDeletes? EqualityFor(FileScanTask task, Schema readSchema)
    {
        EqualityDeletes? result = null;
        foreach (var delete in task.Deletes)
        {
            if (delete.Content != FileContent.EqualityDeletes) continue;
            var ids = delete.EqualityIds ?? throw Errors.InvalidData(delete.FilePath, "equality delete file has no equality_ids");
            if (!_equality.TryGetValue(delete.FilePath, out var keys))
            {
                keys = LoadEqualityKeys(delete, ids);
                _equality[delete.FilePath] = keys;
            }
            (result ??= new EqualityDeletes(readSchema)).Add(ids, keys);
        }
        return result;
    }

    /// <summary>Whether a position delete entry is a v3 deletion vector (a blob in a Puffin file) rather than a Parquet file.</summary>
    internal static bool IsDeletionVector(DataFile delete) =>
        string.Equals(delete.FileFormat, "PUFFIN", StringComparison.OrdinalIgnoreCase);

    private HashSet<long> LoadDeletionVector(DataFile delete)
    {
        if (delete.ContentOffset is not { } offset || delete.ContentSizeInBytes is not { } size)
        {
            throw Errors.InvalidData(delete.FilePath, "deletion vector entry has no content_offset/content_size_in_bytes");
        }
        if (!_puffinFiles.TryGetValue(delete.FilePath, out var content))
        {
            (content, _) = PuffinReader.Read(_io, delete.FilePath);
            _puffinFiles[delete.FilePath] = content;
        }
        if (offset < 4 || size < 0 || offset + size > content.Length - 4)
        {
            throw Errors.InvalidData(delete.FilePath, $"deletion vector at offset {offset} with size {size} lies outside the file");
        }
        return DeletionVector.Decode(content.AsSpan((int)offset, (int)size), delete.FilePath);
    }

    private Dictionary<string, HashSet<long>> LoadPositions(DataFile delete)
    {
        var result = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        using var reader = ParquetDataReader.Open(_io, delete.FilePath, PositionDeleteSchema);
        foreach (var (batch, _) in reader.ReadAll())
        {
            var paths = (StringArray)batch.Column(0);
            var positions = (Int64Array)batch.Column(1);
            for (var i = 0; i < batch.Length; i++)
            {
                var path = paths.GetString(i);
                if (!result.TryGetValue(path, out var set))
                {
                    set = new HashSet<long>();
                    result[path] = set;
                }
                set.Add(positions.GetValue(i)!.Value);
            }
        }
        return result;
    }

    private HashSet<string> LoadEqualityKeys(DataFile delete, IReadOnlyList<int> ids)
    {
        var fields = ids.Select(id => _tableSchema.FindField(id) ?? throw Errors.InvalidData(delete.FilePath, $"equality field id {id} is not in the table schema")).ToList();
        var schema = new Schema(0, fields);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var reader = ParquetDataReader.Open(_io, delete.FilePath, schema);
        foreach (var (batch, _) in reader.ReadAll())
        {
            var columns = Enumerable.Range(0, fields.Count).Select(batch.Column).ToArray();
            for (var row = 0; row < batch.Length; row++) keys.Add(EqualityDeletes.Key(columns, fields, row));
        }
        return keys;
    }
}
