using System.Text;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Output;

/// <summary>Writes rows as RFC 4180 CSV with a header row; nulls are empty cells, nested values are their JSON text.</summary>
public sealed class CsvSink : IBatchSink
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private Schema? _schema;

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    public CsvSink(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <inheritdoc />
    public void Begin(Schema schema)
    {
        _schema = schema;
        _writer.WriteLine(string.Join(",", schema.Fields.Select(f => Quote(f.Name))));
    }

    /// <inheritdoc />
    public void Write(RecordBatch batch)
    {
        var fields = _schema!.Fields;
        var line = new StringBuilder();
        for (var row = 0; row < batch.Length; row++)
        {
            line.Clear();
            for (var c = 0; c < fields.Count; c++)
            {
                if (c > 0) line.Append(',');
                if (fields[c].Type is not PrimitiveType type)
                {
                    // A nested value's cell is its JSON text (see NestedJson); null stays an empty cell.
                    if (NestedJson.Text(batch.Column(c), row, fields[c].Type) is { } text) line.Append(Quote(text));
                    continue;
                }
                var value = ArrowValues.Get(batch.Column(c), row, type);
                if (value is not null) line.Append(Quote(ValueText.Format(value, type)));
            }
            _writer.WriteLine(line);
        }
    }

    /// <inheritdoc />
    public void Complete() => _writer.Flush();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsWriter) _writer.Dispose();
    }

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
