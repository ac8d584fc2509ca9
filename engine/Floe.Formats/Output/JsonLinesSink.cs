using System.Text.Json;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Output;

/// <summary>Writes one JSON object per row (JSON Lines); numbers stay numbers, temporal values are ISO-8601 strings, nested values are JSON objects and arrays (<see cref="NestedJson"/>).</summary>
public sealed class JsonLinesSink : IBatchSink
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private Schema? _schema;

    /// <summary>Writes to <paramref name="stream"/>.</summary>
    public JsonLinesSink(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
    }

    /// <inheritdoc />
    public void Begin(Schema schema) => _schema = schema;

    /// <inheritdoc />
    public void Write(RecordBatch batch)
    {
        var fields = _schema!.Fields;
        using var json = new Utf8JsonWriter(_stream);
        for (var row = 0; row < batch.Length; row++)
        {
            json.Reset(_stream);
            json.WriteStartObject();
            for (var c = 0; c < fields.Count; c++)
            {
                json.WritePropertyName(fields[c].Name);
                if (fields[c].Type is PrimitiveType type) NestedJson.WritePrimitive(json, ArrowValues.Get(batch.Column(c), row, type), type);
                else NestedJson.Write(json, batch.Column(c), row, fields[c].Type);
            }
            json.WriteEndObject();
            json.Flush();
            _stream.WriteByte((byte)'\n');
        }
    }

    /// <inheritdoc />
    public void Complete() => _stream.Flush();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
    }
}
