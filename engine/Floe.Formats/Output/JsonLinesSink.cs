using System.Text.Json;
using Apache.Arrow;
using Floe.Iceberg.Spec;
using Schema = Floe.Iceberg.Spec.Schema;
using Floe.Iceberg.Writing;

namespace Floe.Formats.Output;

/// <summary>Writes one JSON object per row (JSON Lines); numbers stay numbers, temporal values are ISO-8601 strings.</summary>
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
                if (fields[c].Type is not PrimitiveType type)
                {
                    json.WriteNullValue();
                    continue;
                }
                WriteValue(json, ArrowValues.Get(batch.Column(c), row, type), type);
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

    private static void WriteValue(Utf8JsonWriter json, object? value, PrimitiveType type)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i when type.Id == TypeId.Int: json.WriteNumberValue(i); break;
            case long l when type.Id == TypeId.Long: json.WriteNumberValue(l); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case decimal m: json.WriteNumberValue(m); break;
            default: json.WriteStringValue(ValueText.Format(value, type)); break;
        }
    }
}
