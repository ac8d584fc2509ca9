using System.Buffers;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Csv;

/// <summary>
/// Reads a CSV file with a header row into Arrow record batches of a table schema. Header names must match the
/// schema's top-level columns (any order); an empty cell is null. Every error names the file, line and column.
/// <para>The file is cut into chunks of whole records (about 8 MiB each) that are tokenized and converted in
/// parallel, while the caller consumes earlier batches; batches still come out in file order.</para>
/// </summary>
public static class CsvBatchReader
{
    /// <summary>Default maximum rows per batch.</summary>
    public const int DefaultBatchRows = 1 << 20;

    /// <summary>
    /// Reads <paramref name="path"/> as batches of at most <paramref name="batchRows"/> rows (a batch never spans two
    /// chunks, so batches are often smaller). <paramref name="parallelism"/> chunks are parsed at once
    /// (0: one per processor; 1: parse on the caller's thread).
    /// </summary>
    /// <exception cref="FloeException">NotFound for a missing file; InvalidData naming the file, line and column for bad content.</exception>
    public static IEnumerable<RecordBatch> Read(string path, Schema schema, int batchRows = DefaultBatchRows, int parallelism = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        if (!File.Exists(path)) throw Errors.NotFound($"{path}: file not found");
        return ReadChunks(path, schema, batchRows, parallelism <= 0 ? Environment.ProcessorCount : parallelism, CsvChunkReader.DefaultChunkBytes);
    }

    /// <summary>As <see cref="Read"/> with a chosen chunk size (tests use tiny chunks to cross many boundaries).</summary>
    internal static IEnumerable<RecordBatch> ReadChunks(string path, Schema schema, int batchRows, int parallelism, int chunkBytes)
    {
        var (reader, columns, fields) = Open(path, schema, chunkBytes);
        using var chunks = reader;
        var arrowSchema = ArrowSchemas.ToArrow(schema);
        var pending = new Queue<Task<List<RecordBatch>>>();
        try
        {
            var more = true;
            while (true)
            {
                // Keep `parallelism` chunks parsing ahead of the consumer.
                while (more && pending.Count < parallelism)
                {
                    var chunk = NextChunk(chunks, path);
                    if (chunk is null)
                    {
                        more = false;
                        break;
                    }
                    if (parallelism == 1)
                    {
                        pending.Enqueue(Task.FromResult(Parse(chunk, columns, fields, arrowSchema, batchRows, path)));
                    }
                    else
                    {
                        pending.Enqueue(Task.Run(() => Parse(chunk, columns, fields, arrowSchema, batchRows, path)));
                    }
                }
                if (pending.Count == 0) break;
                // GetResult rethrows the parse task's own exception (a FloeException naming the line), not an AggregateException.
                foreach (var batch in pending.Dequeue().GetAwaiter().GetResult()) yield return batch;
            }
        }
        finally
        {
            // An abandoned or failed read still waits for its in-flight chunks, so their pooled buffers go back.
            foreach (var task in pending)
            {
                try { task.Wait(); }
                catch (AggregateException) { }
            }
        }
    }

    private static CsvChunk? NextChunk(CsvChunkReader chunks, string path)
    {
        try
        {
            return chunks.Next();
        }
        catch (IOException e)
        {
            throw Errors.Io(path, e);
        }
    }

    private static List<RecordBatch> Parse(CsvChunk chunk, CsvColumn[] columns, int fields, Apache.Arrow.Schema arrowSchema, int batchRows, string path)
    {
        var batches = new List<RecordBatch>();
        // Rows never exceed newlines + 1, so the cell arrays are sized once.
        var maxCells = (chunk.Span.Count((byte)'\n') + 1) * fields;
        var starts = ArrayPool<int>.Shared.Rent(maxCells);
        var lengths = ArrayPool<int>.Shared.Rent(maxCells);
        try
        {
            var rows = CsvTokenizer.Tokenize(chunk.Span, fields, ref starts, ref lengths, chunk.FirstLine, path);
            var cells = new CsvCells(chunk.Span, starts.AsSpan(0, rows * fields), lengths.AsSpan(0, rows * fields), fields, chunk.FirstLine, path);
            for (var first = 0; first < rows; first += batchRows)
            {
                var count = Math.Min(batchRows, rows - first);
                var arrays = new IArrowArray[columns.Length];
                for (var c = 0; c < columns.Length; c++) arrays[c] = columns[c].Parse(cells, first, count);
                batches.Add(new RecordBatch(arrowSchema, arrays, count));
            }
            return batches;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(lengths);
            chunk.Dispose();
        }
    }

    private static (CsvChunkReader Reader, CsvColumn[] Columns, int Fields) Open(string path, Schema schema, int chunkBytes)
    {
        var (reader, headers) = OpenWithHeader(path, chunkBytes);
        try
        {
            return (reader, MapHeader(headers, schema, path), headers.Count);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> past its header row: the chunks of records that follow, and the header's names.</summary>
    internal static (CsvChunkReader Reader, List<string> Headers) OpenWithHeader(string path, int chunkBytes)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        try
        {
            var head = new byte[64 << 10];
            var length = 0;
            int newline;
            while (true)
            {
                newline = head.AsSpan(0, length).IndexOf((byte)'\n');
                if (newline >= 0) break;
                if (length == head.Length) System.Array.Resize(ref head, head.Length * 2);
                var n = stream.Read(head, length, head.Length - length);
                if (n == 0)
                {
                    newline = length;
                    break;
                }
                length += n;
            }
            var start = head.AsSpan(0, length).StartsWith("\uFEFF"u8) ? 3 : 0;
            var headers = SplitHeader(head.AsSpan(start, Math.Max(0, newline - start)));
            if (headers.Count == 0 || (headers.Count == 1 && headers[0].Length == 0))
            {
                throw Errors.InvalidData(path, "line 1: the file has no header row");
            }
            var rest = newline < length ? head.AsSpan(newline + 1, length - newline - 1) : ReadOnlySpan<byte>.Empty;
            return (new CsvChunkReader(stream, rest, 2, chunkBytes), headers);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static List<string> SplitHeader(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        var names = new List<string>();
        var text = System.Text.Encoding.UTF8.GetString(line);
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { names.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        names.Add(current.ToString());
        return names;
    }

    private static CsvColumn[] MapHeader(List<string> headers, Schema schema, string path)
    {
        var columns = new CsvColumn[schema.Fields.Count];
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var name = schema.Fields[i].Name;
            var ordinal = -1;
            for (var h = 0; h < headers.Count; h++)
            {
                if (string.Equals(headers[h].Trim(), name, StringComparison.Ordinal)) ordinal = h;
            }
            if (ordinal < 0)
            {
                throw Errors.InvalidData(path, $"line 1: column '{name}' of the table schema is missing from the header ({string.Join(",", headers)})");
            }
            columns[i] = CsvColumn.For(schema.Fields[i], ordinal, path);
        }
        foreach (var h in headers)
        {
            if (schema.FindField(h.Trim()) is null)
            {
                throw Errors.InvalidData(path, $"line 1: header column '{h}' is not in the table schema");
            }
        }
        return columns;
    }
}
