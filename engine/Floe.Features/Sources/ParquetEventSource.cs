using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Expressions;
using Floe.Iceberg.Io;
using Floe.Iceberg.Parquet;

namespace Floe.Features.Sources;

/// <summary>
/// Loads Parquet files with Floe's own <see cref="ParquetDataReader"/>, one row group at a time: flat columns of
/// integers, floats, booleans, strings and timestamps/dates (other columns are skipped). All files must share the
/// first file's columns.
/// </summary>
public static class ParquetEventSource
{
    /// <summary>Loads <paramref name="paths"/>.</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidData when a file cannot be read.</exception>
    public static InMemoryEventSource Load(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parts = new Dictionary<string, List<ColumnData>>(StringComparer.Ordinal);
        var order = new List<(string, ValueKind)>();
        int length = 0;
        var io = new LocalFileIO();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) { throw Errors.NotFound($"{path}: source file not found"); }
            try
            {
                length = checked(length + ReadFile(io, path, parts, order, order.Count == 0));
            }
            catch (Exception e) when (e is not FloeException and (IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException))
            {
                throw Errors.InvalidData(path, $"cannot read Parquet: {e.Message}", e);
            }
        }
        var columns = new Dictionary<string, ColumnData>(StringComparer.Ordinal);
        foreach (var (name, _) in order) { columns[name] = ColumnData.Concat(parts[name]); }
        return new InMemoryEventSource(InMemoryEventSource.SchemaOf(order), columns, length);
    }

    private static int ReadFile(IFileIO io, string path, Dictionary<string, List<ColumnData>> parts, List<(string, ValueKind)> order, bool first)
    {
        using var reader = ParquetDataReader.Open(io, path);
        var fields = new List<(int Index, string Name)>();
        var schema = reader.ArrowSchema;
        for (int c = 0; c < schema.FieldsList.Count; c++)
        {
            var f = schema.FieldsList[c];
            if (ArrowColumns.KindOf(f.DataType) is not { } kind) { continue; }
            fields.Add((c, f.Name));
            if (first) { order.Add((f.Name, kind)); parts[f.Name] = []; }
            else if (!parts.ContainsKey(f.Name)) { throw Errors.InvalidData(path, $"column '{f.Name}' is not in the first file"); }
        }
        int rows = 0;
        foreach (var batch in reader.ReadAll())
        {
            var b = batch.Batch;
            foreach (var (index, name) in fields)
            {
                parts[name].Add(ArrowColumns.FromArray(b.Column(index), name));
            }
            rows = checked(rows + b.Length);
        }
        return rows;
    }
}
