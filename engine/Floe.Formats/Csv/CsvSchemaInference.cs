using System.Buffers;
using System.Buffers.Text;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Csv;

/// <summary>
/// Infers a schema for a CSV file from the records of its first chunk (about 8 MiB; every record of a smaller file),
/// with the parsing rules <see cref="CsvBatchReader"/> reads by: a column whose non-empty cells are all integers is
/// <c>long</c>, else all numbers <c>double</c>, else all ISO-8601 timestamps <c>timestamptz</c> (UTC unless an offset
/// is given), else all <c>true</c>/<c>false</c> <c>boolean</c>, else <c>string</c>; a column with no value is a
/// string. Every column is optional, and field ids are 1..n in header order.
/// </summary>
public static class CsvSchemaInference
{
    /// <summary>Infers the schema of <paramref name="path"/>.</summary>
    /// <exception cref="FloeException">NotFound for a missing file; InvalidData (no header, bad quoting) naming file and line.</exception>
    public static Schema Infer(string path) => Infer(path, SampleBytes);

    /// <summary>The text sampled for the types (the reader's own chunks are smaller, to bound memory in flight).</summary>
    internal const int SampleBytes = 8 << 20;

    internal static Schema Infer(string path, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw Errors.NotFound($"{path}: file not found");
        CsvChunk? chunk;
        List<string> headers;
        var (reader, names) = CsvBatchReader.OpenWithHeader(path, chunkBytes);
        using (reader)
        {
            headers = names;
            try
            {
                chunk = reader.Next();
            }
            catch (IOException e)
            {
                throw Errors.Io(path, e);
            }
        }
        var kinds = new Kind[headers.Count];
        if (chunk is not null)
        {
            using (chunk)
            {
                Classify(chunk, kinds, path);
            }
        }
        var fields = new List<NestedField>(headers.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < headers.Count; c++)
        {
            var name = headers[c].Trim();
            if (name.Length == 0) throw Errors.InvalidData(path, $"line 1: column {c + 1} of the header has no name");
            if (!seen.Add(name)) throw Errors.InvalidData(path, $"line 1: column '{name}' appears twice in the header");
            fields.Add(new NestedField(c + 1, name, false, TypeOf(kinds[c])));
        }
        return new Schema(0, fields);
    }

    private static void Classify(CsvChunk chunk, Kind[] kinds, string path)
    {
        var fields = kinds.Length;
        var maxCells = (chunk.Span.Count((byte)'\n') + 1) * fields;
        var starts = ArrayPool<int>.Shared.Rent(maxCells);
        var lengths = ArrayPool<int>.Shared.Rent(maxCells);
        try
        {
            var rows = CsvTokenizer.Tokenize(chunk.Span, fields, ref starts, ref lengths, chunk.FirstLine, path);
            var cells = new CsvCells(chunk.Span, starts.AsSpan(0, rows * fields), lengths.AsSpan(0, rows * fields), fields, chunk.FirstLine, path);
            for (var c = 0; c < fields; c++)
            {
                var kind = Kind.None;
                for (var r = 0; r < rows && kind != Kind.String; r++)
                {
                    var cell = cells.Cell(r, c);
                    if (cell.IsEmpty) continue;
                    kind = Widen(kind, Of(cell));
                }
                kinds[c] = kind;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    private static Kind Of(ReadOnlySpan<byte> cell)
    {
        if (Utf8Parser.TryParse(cell, out long _, out var used) && used == cell.Length) return Kind.Long;
        if (FastDouble.TryParse(cell, out _)) return Kind.Double;
        if (Utf8Values.TryParseTimestamp(cell, out _)) return Kind.Timestamp;
        if (Utf8Values.TryParseBoolean(cell, out _)) return Kind.Boolean;
        return Kind.String;
    }

    private static Kind Widen(Kind seen, Kind next) => (seen, next) switch
    {
        (Kind.None, _) => next,
        _ when seen == next => seen,
        (Kind.Long, Kind.Double) or (Kind.Double, Kind.Long) => Kind.Double,
        _ => Kind.String,
    };

    private static IcebergType TypeOf(Kind kind) => kind switch
    {
        Kind.Long => PrimitiveType.Long,
        Kind.Double => PrimitiveType.Double,
        Kind.Timestamp => PrimitiveType.TimestampTz,
        Kind.Boolean => PrimitiveType.Boolean,
        _ => PrimitiveType.String,
    };

    private enum Kind
    {
        None,
        Long,
        Double,
        Timestamp,
        Boolean,
        String,
    }
}
