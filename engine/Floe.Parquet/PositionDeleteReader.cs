using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet;

/// <summary>Reads Iceberg position-delete files (<c>file_path</c>, <c>pos</c>, optional <c>row</c>).</summary>
public static class PositionDeleteReader
{
    /// <summary>Field id of <c>file_path</c> in position-delete files.</summary>
    public const int FilePathFieldId = 2147483546;

    /// <summary>Field id of <c>pos</c> in position-delete files.</summary>
    public const int PositionFieldId = 2147483545;

    /// <summary>The projection used to read position deletes.</summary>
    public static Schema DeleteSchema { get; } = new(0, new[]
    {
        new NestedField(FilePathFieldId, "file_path", true, PrimitiveType.String),
        new NestedField(PositionFieldId, "pos", true, PrimitiveType.Long),
    });

    /// <summary>
    /// Reads a position-delete file into deleted row positions per data file path (paths exactly as written),
    /// each array sorted ascending without duplicates. <paramref name="dataFilter"/>, when given, keeps only the
    /// data files it accepts (deletes of other files are skipped without being stored).
    /// </summary>
    /// <exception cref="FloeException">InvalidData naming the file when it is not a valid position-delete file.</exception>
    public static IReadOnlyDictionary<string, long[]> Read(IFileIO io, string location, Func<string, bool>? dataFilter = null)
    {
        var lists = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        using var reader = ParquetDataReader.Open(io, location, DeleteSchema);
        foreach (var batch in reader.ReadAll())
        {
            var paths = (StringArray)batch.Batch.Column(0);
            var positions = (Int64Array)batch.Batch.Column(1);
            if (paths.NullCount > 0 || positions.NullCount > 0)
            {
                throw Errors.InvalidData(location, "position delete file has null file_path or pos (or lacks those columns)");
            }
            byte[]? lastPath = null;
            List<long>? current = null;
            for (var i = 0; i < batch.Batch.Length; i++)
            {
                // Rows are sorted by file_path, so consecutive rows usually share the decoded path.
                var bytes = paths.GetBytes(i);
                if (lastPath is null || !bytes.SequenceEqual(lastPath))
                {
                    lastPath = bytes.ToArray();
                    var path = paths.GetString(i);
                    current = dataFilter is null || dataFilter(path) ? GetList(lists, path) : null;
                }
                current?.Add(positions.Values[i]);
            }
        }
        var result = new Dictionary<string, long[]>(lists.Count, StringComparer.Ordinal);
        foreach (var (path, list) in lists)
        {
            list.Sort();
            var distinct = new List<long>(list.Count);
            foreach (var p in list)
            {
                if (distinct.Count == 0 || distinct[^1] != p) distinct.Add(p);
            }
            result[path] = distinct.ToArray();
        }
        return result;
    }

    private static List<long> GetList(Dictionary<string, List<long>> lists, string path)
    {
        if (!lists.TryGetValue(path, out var list))
        {
            list = new List<long>();
            lists[path] = list;
        }
        return list;
    }
}
