using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Computation;
using Floe.Features.Sources;
using Floe.Core.Io;
using Floe.Parquet;

namespace Floe.Formats.Events;

/// <summary>
/// Streams Parquet files with Floe's own <see cref="ParquetDataReader"/>, row group by row group (decoded on every
/// core, handed out in file order), so a computation holds one wave of row groups rather than the files. Flat
/// columns of integers, floats, booleans, strings and timestamps/dates are read; other columns are skipped. All files
/// must share the first file's columns. Files hold no time index, so every <see cref="Read"/> scans them all.
/// </summary>
public sealed class ParquetFileSource : IEventSource
{
    private readonly IReadOnlyList<string> _paths;
    private readonly string[] _columns;

    /// <summary>Opens <paramref name="paths"/>, reading the schema from the first file.</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidData when the first file cannot be read.</exception>
    public ParquetFileSource(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) { throw Errors.InvalidArgument("at least one source file is required"); }
        foreach (var path in paths)
        {
            if (!File.Exists(path)) { throw Errors.NotFound($"{path}: source file not found"); }
        }
        _paths = paths;
        var fields = new List<Field>();
        Guard(paths[0], () =>
        {
            using var reader = ParquetDataReader.Open(new LocalFileIO(), paths[0]);
            foreach (var f in reader.ArrowSchema.FieldsList)
            {
                if (FeatureComputation.ReadsType(f.DataType)) { fields.Add(f); }
            }
        });
        _columns = fields.ConvertAll(f => f.Name).ToArray();
        Schema = new Schema(fields, null);
    }

    private ParquetFileSource(IReadOnlyList<string> paths, IReadOnlyList<Field> fields)
    {
        _paths = paths;
        _columns = fields.Select(f => f.Name).ToArray();
        Schema = new Schema(fields, null);
    }

    /// <inheritdoc />
    /// <remarks>The other columns' chunks are not decoded (a string column the features do not read was a large
    /// part of the read's garbage: 10M events of the scaling bench's data, ~1 in 4 bytes decoded).</remarks>
    public IEventSource Select(IReadOnlySet<string> columns)
    {
        return SourceColumns.Narrow(Schema, columns) is { } fields ? new ParquetFileSource(_paths, fields) : this;
    }

    /// <inheritdoc />
    public Schema Schema { get; }

    /// <inheritdoc />
    public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
    {
        var io = new LocalFileIO();
        foreach (var path in _paths)
        {
            int groups = 0;
            int[] indices = [];
            Guard(path, () =>
            {
                using var reader = ParquetDataReader.Open(io, path);
                groups = reader.RowGroupCount;
                indices = new int[_columns.Length];
                for (int k = 0; k < _columns.Length; k++)
                {
                    indices[k] = reader.ArrowSchema.GetFieldIndex(_columns[k]);
                    if (indices[k] < 0) { throw Errors.InvalidData(path, $"column '{_columns[k]}' is not in this file (it is in {_paths[0]})"); }
                }
            });
            int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, groups));
            var readers = new ParquetDataReader?[workers];
            Task<RecordBatch[]>? next = null;
            try
            {
                // Decode one wave ahead: while the caller encodes wave k, wave k + 1 decodes on the other cores.
                next = groups > 0 ? Task.Run(() => DecodeWave(path, io, readers, indices, 0, groups)) : null;
                for (int g0 = 0; next is not null; g0 += workers)
                {
                    // DecodeWave reports errors as FloeExceptions naming the file.
                    var wave = next.GetAwaiter().GetResult();
                    int following = g0 + workers;
                    next = following < groups ? Task.Run(() => DecodeWave(path, io, readers, indices, following, groups)) : null;
                    for (int w = 0; w < wave.Length; w++)
                    {
                        yield return wave[w];
                        wave[w] = null!;
                    }
                }
            }
            finally
            {
                // A caller that stops early abandons the wave in flight: let it finish before closing its readers
                // (its result, or error, is of no use to anyone now).
                if (next is not null) { ((IAsyncResult)next).AsyncWaitHandle.WaitOne(); }
                foreach (var r in readers) { r?.Dispose(); }
            }
        }
    }

    // Decodes row groups [first, first + readers) on one core each, reader w reusing its file handle.
    private RecordBatch[] DecodeWave(string path, IFileIO io, ParquetDataReader?[] readers, int[] indices, int first, int groups)
    {
        int count = Math.Min(readers.Length, groups - first);
        var wave = new RecordBatch[count];
        Guard(path, () => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, w =>
        {
            var reader = readers[w] ??= ParquetDataReader.Open(io, path);
            // Only this source's columns are decoded.
            var include = new bool[reader.Projection.Fields.Count];
            foreach (int index in indices) { include[index] = true; }
            var columns = reader.ReadColumns(first + w, include);
            var arrays = new IArrowArray[indices.Length];
            for (int k = 0; k < arrays.Length; k++) { arrays[k] = columns[indices[k]]!; }
            wave[w] = new RecordBatch(Schema, arrays, reader.RowGroupRows(first + w));
        }));
        return wave;
    }

    private static void Guard(string path, Action action)
    {
        try
        {
            action();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0 && e.InnerExceptions[0] is FloeException f)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(f).Throw();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            throw Errors.InvalidData(path, $"cannot read Parquet: {e.InnerExceptions[0].Message}", e.InnerExceptions[0]);
        }
        catch (Exception e) when (e is not FloeException and (IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or OverflowException))
        {
            throw Errors.InvalidData(path, $"cannot read Parquet: {e.Message}", e);
        }
    }
}
