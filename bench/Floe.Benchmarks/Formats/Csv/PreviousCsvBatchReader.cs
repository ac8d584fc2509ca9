using Apache.Arrow;
using CsvHelper;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Benchmarks.Formats.Csv;

/// <summary>
/// The CsvHelper-based reader Floe had before the parallel chunked reader, kept as the benchmarks' baseline.
/// Reads a CSV file with a header row into Arrow record batches of a table schema. Header names must match the
/// schema's top-level columns (any order); an empty cell is null. Every error names the file, line and column.
/// </summary>
internal static class PreviousCsvBatchReader
{
    /// <summary>Default rows per batch.</summary>
    public const int DefaultBatchRows = 1 << 20;

    /// <summary>Reads <paramref name="path"/> as batches of at most <paramref name="batchRows"/> rows.</summary>
    public static IEnumerable<RecordBatch> Read(string path, Schema schema, int batchRows = DefaultBatchRows)
    {
        if (!File.Exists(path)) throw Errors.NotFound($"{path}: file not found");
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            MissingField = CsvMissingFieldHandling.Throw,
            TrackLineNumbers = true,
        };
        using var reader = CsvReader.FromFile(path, options);
        var arrowSchema = ArrowSchemas.ToArrow(schema);
        var ordinals = MapHeader(reader, schema, path);
        var rows = 0;
        var columns = NewColumns(schema, path);
        while (true)
        {
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (Exception e) when (e is not FloeException)
            {
                throw Errors.InvalidData(path, $"line {reader.LineNumber}: malformed CSV row ({e.Message})", e);
            }
            if (!more) break;
            if (reader.FieldCount != ordinals.Length)
            {
                throw Errors.InvalidData(path, $"line {reader.LineNumber}: expected {ordinals.Length} fields, found {reader.FieldCount}");
            }
            for (var c = 0; c < columns.Length; c++)
            {
                var cell = reader.GetSpan(ordinals[c]);
                if (cell.IsEmpty)
                {
                    if (columns[c].Field.Required)
                    {
                        throw Errors.InvalidData(path, $"line {reader.LineNumber}, column '{columns[c].Field.Name}': value is required but empty");
                    }
                    columns[c].AppendNull();
                }
                else
                {
                    columns[c].Append(cell, reader.LineNumber);
                }
            }
            if (++rows == batchRows)
            {
                yield return Build(arrowSchema, columns, rows);
                columns = NewColumns(schema, path);
                rows = 0;
            }
        }
        if (rows > 0) yield return Build(arrowSchema, columns, rows);
    }

    private static int[] MapHeader(CsvReader reader, Schema schema, string path)
    {
        try
        {
            reader.ReadHeader();
        }
        catch (Exception e) when (e is not FloeException)
        {
            throw Errors.InvalidData(path, $"line 1: cannot read the header row ({e.Message})", e);
        }
        var headers = reader.Headers;
        if (headers is null || headers.Count == 0) throw Errors.InvalidData(path, "line 1: the file has no header row");
        var ordinals = new int[schema.Fields.Count];
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var name = schema.Fields[i].Name;
            ordinals[i] = -1;
            for (var h = 0; h < headers.Count; h++)
            {
                if (string.Equals(headers[h].Trim(), name, StringComparison.Ordinal)) ordinals[i] = h;
            }
            if (ordinals[i] < 0)
            {
                throw Errors.InvalidData(path, $"line 1: column '{name}' of the table schema is missing from the header ({string.Join(",", headers)})");
            }
        }
        foreach (var h in headers)
        {
            if (schema.FindField(h.Trim()) is null)
            {
                throw Errors.InvalidData(path, $"line 1: header column '{h}' is not in the table schema");
            }
        }
        return ordinals;
    }

    private static PreviousCsvColumn[] NewColumns(Schema schema, string path)
    {
        var columns = new PreviousCsvColumn[schema.Fields.Count];
        for (var i = 0; i < columns.Length; i++) columns[i] = PreviousCsvColumn.For(schema.Fields[i], path);
        return columns;
    }

    private static RecordBatch Build(Apache.Arrow.Schema arrowSchema, PreviousCsvColumn[] columns, int rows)
    {
        var arrays = new IArrowArray[columns.Length];
        for (var i = 0; i < arrays.Length; i++) arrays[i] = columns[i].Build();
        return new RecordBatch(arrowSchema, arrays, rows);
    }
}
