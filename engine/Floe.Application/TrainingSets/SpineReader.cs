using System.Text;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Formats.Csv;
using Floe.Formats.Parquet;
using Floe.Core.Arrow;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Reads a spine file. Parquet keeps the file's own column types. CSV needs a header row: entity columns take the
/// feature table's key types, the time column is a timestamp (ISO-8601, UTC unless it carries an offset), and every
/// other (label) column becomes long, double or boolean when all its values parse as such, else stays a string.
/// </summary>
internal static class SpineReader
{
    /// <summary>Reads <paramref name="path"/>; <paramref name="keyTypes"/> types the entity columns of a CSV spine.</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidArgument for a missing time column or an unsupported extension, InvalidData for bad values.</exception>
    public static Spine Read(string path, string timeColumn, IReadOnlyDictionary<string, PrimitiveType> keyTypes)
    {
        if (!File.Exists(path)) throw Errors.NotFound($"{path}: spine file not found");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var (schema, batches) = extension switch
        {
            ".parquet" => ReadParquet(path),
            ".csv" => ReadCsv(path, timeColumn, keyTypes),
            _ => throw Errors.InvalidArgument($"{path}: unsupported spine file type '{extension}' (expected .csv or .parquet)"),
        };
        var field = schema.FindField(timeColumn) ?? throw Errors.InvalidArgument(
            $"{path}: the spine has no time column '{timeColumn}' (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))}; choose one with --spine-time)");
        var index = IndexOf(schema, field.Name);
        TimeColumn.Check(ArrowSchemas.ToArrowType(field.Type), timeColumn, path);
        long rows = 0;
        foreach (var b in batches) rows += b.Length;
        if (rows > int.MaxValue) throw Errors.Unsupported($"{path}: spines of more than {int.MaxValue} rows are not supported");
        var times = GC.AllocateUninitializedArray<long>((int)rows);
        var at = 0;
        foreach (var b in batches)
        {
            TimeColumn.ToMicros(b.Column(index), times.AsSpan(at, b.Length));
            at += b.Length;
        }
        return new Spine(schema, batches, times);
    }

    /// <summary>The spine's column names, read from the CSV header or the Parquet footer.</summary>
    public static IReadOnlyList<string> ColumnNames(string path)
    {
        if (!File.Exists(path)) throw Errors.NotFound($"{path}: spine file not found");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".csv") return ReadHeader(path);
        if (extension != ".parquet") throw Errors.InvalidArgument($"{path}: unsupported spine file type '{extension}' (expected .csv or .parquet)");
        using var reader = ParquetDataReader.Open(new LocalFileIO(), Path.GetFullPath(path));
        var names = new List<string>();
        foreach (var f in reader.FileSchema.Fields) names.Add(f.Name);
        return names;
    }

    private static (Schema, List<RecordBatch>) ReadParquet(string path)
    {
        Schema schema;
        using (var reader = ParquetDataReader.Open(new LocalFileIO(), Path.GetFullPath(path))) schema = reader.FileSchema;
        foreach (var f in schema.Fields)
        {
            if (f.Type is not PrimitiveType) throw Errors.Unsupported($"{path}: spine column '{f.Name}' is nested; spines hold primitive columns only");
        }
        return (schema, ParquetBatchReader.Read(path, schema).ToList());
    }

    private static (Schema, List<RecordBatch>) ReadCsv(string path, string timeColumn, IReadOnlyDictionary<string, PrimitiveType> keyTypes)
    {
        var header = ReadHeader(path);
        var fields = new List<NestedField>(header.Count);
        var labels = new List<int>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            PrimitiveType type;
            if (name == timeColumn) type = PrimitiveType.TimestampTz;
            else if (keyTypes.TryGetValue(name, out var keyType)) type = keyType;
            else
            {
                type = PrimitiveType.String;
                labels.Add(i);
            }
            fields.Add(new NestedField(i + 1, name, false, type));
        }
        var schema = new Schema(0, fields);
        var batches = CsvBatchReader.Read(path, schema).ToList();
        foreach (var label in labels)
        {
            var narrowed = LabelTypes.Narrow(batches, label);
            if (narrowed is null) continue;
            fields[label] = fields[label] with { Type = narrowed.Value.Type };
            for (var b = 0; b < batches.Count; b++)
            {
                var columns = new IArrowArray[batches[b].ColumnCount];
                for (var c = 0; c < columns.Length; c++) columns[c] = c == label ? narrowed.Value.Arrays[b] : batches[b].Column(c);
                batches[b] = new RecordBatch(batches[b].Schema, columns, batches[b].Length);
            }
        }
        schema = new Schema(0, fields);
        var arrowSchema = ArrowSchemas.ToArrow(schema);
        for (var b = 0; b < batches.Count; b++)
        {
            var columns = new IArrowArray[batches[b].ColumnCount];
            for (var c = 0; c < columns.Length; c++) columns[c] = batches[b].Column(c);
            batches[b] = new RecordBatch(arrowSchema, columns, batches[b].Length);
        }
        return (schema, batches);
    }

    /// <summary>The header row's names (RFC 4180 quoting, a UTF-8 byte-order mark skipped).</summary>
    private static List<string> ReadHeader(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var line = reader.ReadLine();
        if (string.IsNullOrEmpty(line)) throw Errors.InvalidData(path, "line 1: a header row is required");
        var names = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { names.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        names.Add(current.ToString());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in names)
        {
            if (!seen.Add(n)) throw Errors.InvalidData(path, $"line 1: column '{n}' appears twice in the header");
        }
        return names;
    }

    private static int IndexOf(Schema schema, string name)
    {
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            if (schema.Fields[i].Name == name) return i;
        }
        return -1;
    }
}
