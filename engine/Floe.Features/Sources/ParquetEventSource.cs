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
        var fields = new List<(int Index, string Name)>();
        int groups;
        using (var reader = ParquetDataReader.Open(io, path))
        {
            var schema = reader.ArrowSchema;
            for (int c = 0; c < schema.FieldsList.Count; c++)
            {
                var f = schema.FieldsList[c];
                if (ArrowColumns.KindOf(f.DataType) is not { } kind) { continue; }
                fields.Add((c, f.Name));
                if (first) { order.Add((f.Name, kind)); parts[f.Name] = []; }
                else if (!parts.ContainsKey(f.Name)) { throw Errors.InvalidData(path, $"column '{f.Name}' is not in the first file"); }
            }
            groups = reader.RowGroupCount;
        }
        // Row groups decode independently: one reader per worker, each taking every workers-th group.
        var results = new ColumnData[groups][];
        var lengths = new int[groups];
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, groups));
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, ReadGroups);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the worker's own error (a FloeException naming the file) rather than the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        int rows = 0;
        for (int g = 0; g < groups; g++)
        {
            for (int k = 0; k < fields.Count; k++) { parts[fields[k].Name].Add(results[g][k]); }
            rows = checked(rows + lengths[g]);
        }
        return rows;

        void ReadGroups(int w)
        {
            using var reader = ParquetDataReader.Open(io, path);
            for (int g = w; g < groups; g += workers)
            {
                var b = reader.ReadRowGroup(g).Batch;
                var cols = new ColumnData[fields.Count];
                for (int k = 0; k < cols.Length; k++) { cols[k] = ArrowColumns.FromArray(b.Column(fields[k].Index), fields[k].Name); }
                results[g] = cols;
                lengths[g] = b.Length;
            }
        }
    }
}
