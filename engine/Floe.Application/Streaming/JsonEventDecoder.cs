using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using ArrowSchema = Apache.Arrow.Schema;
using IcebergSchema = Floe.Core.Types.Schema;

namespace Floe.Application.Streaming;

/// <summary>
/// Decodes events given as one JSON object per line (the source table's columns by name) into Arrow batches of the
/// table's schema. A line is checked whole before any of it is kept, so a bad event (unparseable JSON, a wrong
/// type, a missing required field, an unknown field) is rejected alone with its reason and the batch stays aligned.
/// Timestamps are ISO-8601 strings or epoch microseconds; dates are <c>yyyy-MM-dd</c>.
/// </summary>
public sealed class JsonEventDecoder
{
    private readonly NestedField[] _fields;
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private readonly Column[] _columns;
    private readonly bool[] _seen;
    private readonly object?[] _row;

    /// <summary>Creates a decoder for events of <paramref name="schema"/> (primitive columns only).</summary>
    public JsonEventDecoder(IcebergSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _fields = schema.Fields.ToArray();
        ArrowSchema = ArrowSchemas.ToArrow(schema);
        _columns = new Column[_fields.Length];
        for (int i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            if (field.Type is not PrimitiveType p || p.Id is not (TypeId.Boolean or TypeId.Int or TypeId.Long or TypeId.Float or TypeId.Double or TypeId.String or TypeId.Date or TypeId.Timestamp or TypeId.TimestampTz))
            {
                throw Errors.Unsupported($"column '{field.Name}' ({field.Type}): streamed events support boolean, int, long, float, double, string, date and timestamp columns");
            }
            _ordinals[field.Name] = i;
            _columns[i] = new Column(p.Id);
        }
        _seen = new bool[_fields.Length];
        _row = new object?[_fields.Length];
    }

    /// <summary>The Arrow schema of the batches <see cref="TakeBatch"/> returns.</summary>
    public ArrowSchema ArrowSchema { get; }

    /// <summary>Events decoded since the last <see cref="TakeBatch"/>.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Decodes one line; returns null when it was added, else the reason it was rejected (nothing of it is kept).
    /// </summary>
    public string? TryAdd(ReadOnlySpan<byte> line)
    {
        System.Array.Clear(_seen);
        System.Array.Clear(_row);
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "not a JSON object";
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                if (!_ordinals.TryGetValue(name, out var ordinal)) return $"unknown field '{name}'";
                if (_seen[ordinal]) return $"field '{name}' appears twice";
                _seen[ordinal] = true;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                var error = Decode(ref reader, _columns[ordinal].Type, out _row[ordinal]);
                if (error is not null) return $"field '{name}': {error}";
            }
            if (reader.Read()) return "text after the JSON object";
        }
        catch (JsonException e)
        {
            return "invalid JSON: " + e.Message.Split(" LineNumber", 2)[0];
        }
        for (int i = 0; i < _fields.Length; i++)
        {
            if (_row[i] is null && _fields[i].Required) return $"required field '{_fields[i].Name}' is missing or null";
        }
        for (int i = 0; i < _fields.Length; i++) _columns[i].Append(_row[i]);
        Count++;
        return null;
    }

    /// <summary>The events decoded so far as one batch; the decoder starts empty again.</summary>
    public RecordBatch TakeBatch()
    {
        var arrays = new IArrowArray[_columns.Length];
        for (int i = 0; i < _columns.Length; i++) arrays[i] = _columns[i].Build(ArrowSchema.FieldsList[i].DataType);
        var batch = new RecordBatch(ArrowSchema, arrays, Count);
        Count = 0;
        return batch;
    }

    private static string? Decode(ref Utf8JsonReader reader, TypeId type, out object? value)
    {
        value = null;
        switch (type)
        {
            case TypeId.Boolean:
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return "expected true or false";
                value = reader.GetBoolean();
                return null;
            case TypeId.Int:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var i)) return "expected an int";
                value = i;
                return null;
            case TypeId.Long:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var l)) return "expected a long";
                value = l;
                return null;
            case TypeId.Float:
            case TypeId.Double:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var d) || !double.IsFinite(d)) return "expected a finite number";
                value = type == TypeId.Float ? (object)(float)d : d;
                return null;
            case TypeId.String:
                if (reader.TokenType != JsonTokenType.String) return "expected a string";
                value = reader.GetString();
                return null;
            case TypeId.Date:
                if (reader.TokenType != JsonTokenType.String || !Utf8Values.TryParseDate(Raw(ref reader), out var days)) return "expected a date (yyyy-MM-dd)";
                value = days;
                return null;
            default:
                if (reader.TokenType == JsonTokenType.Number)
                {
                    if (!reader.TryGetInt64(out var micros)) return "expected epoch microseconds";
                    value = micros;
                    return null;
                }
                if (reader.TokenType != JsonTokenType.String || !Utf8Values.TryParseTimestamp(Raw(ref reader), out var ts)) return "expected an ISO-8601 timestamp or epoch microseconds";
                value = ts;
                return null;
        }
    }

    private static ReadOnlySpan<byte> Raw(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    /// <summary>One column's values so far, typed by its Iceberg type.</summary>
    private sealed class Column(TypeId type)
    {
        private readonly List<object?> _values = new();

        public TypeId Type { get; } = type;

        public void Append(object? value) => _values.Add(value);

        public IArrowArray Build(IArrowType arrowType)
        {
            IArrowArray array = Type switch
            {
                TypeId.Boolean => Fill(new BooleanArray.Builder(), (b, v) => b.Append((bool)v), b => b.AppendNull()).Build(),
                TypeId.Int => Fill(new Int32Array.Builder(), (b, v) => b.Append((int)v), b => b.AppendNull()).Build(),
                TypeId.Long => Fill(new Int64Array.Builder(), (b, v) => b.Append((long)v), b => b.AppendNull()).Build(),
                TypeId.Float => Fill(new FloatArray.Builder(), (b, v) => b.Append((float)v), b => b.AppendNull()).Build(),
                TypeId.Double => Fill(new DoubleArray.Builder(), (b, v) => b.Append((double)v), b => b.AppendNull()).Build(),
                TypeId.String => Fill(new StringArray.Builder(), (b, v) => b.Append((string)v), b => b.AppendNull()).Build(),
                TypeId.Date => Fill(new Date32Array.Builder(), (b, v) => b.Append(DateTime.UnixEpoch.AddDays((int)v)), b => b.AppendNull()).Build(),
                _ => Timestamps((TimestampType)arrowType),
            };
            _values.Clear();
            return array;
        }

        private TimestampArray Timestamps(TimestampType type)
        {
            var builder = new TimestampArray.Builder(type);
            foreach (var v in _values)
            {
                if (v is null) builder.AppendNull();
                else builder.Append(DateTimeOffset.UnixEpoch.AddTicks((long)v * 10));
            }
            return builder.Build();
        }

        private TBuilder Fill<TBuilder>(TBuilder builder, Action<TBuilder, object> append, Action<TBuilder> appendNull)
        {
            foreach (var v in _values)
            {
                if (v is null) appendNull(builder);
                else append(builder, v);
            }
            return builder;
        }
    }
}
