using System.Buffers;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Types;
using IcebergListType = Floe.Core.Types.ListType;
using IcebergMapType = Floe.Core.Types.MapType;
using IcebergStructType = Floe.Core.Types.StructType;

namespace Floe.Formats.Output;

/// <summary>
/// Writes one Arrow value of any Iceberg type as JSON: structs as objects, lists as arrays, maps with string keys as
/// objects and other maps as arrays of <c>{"key":…,"value":…}</c>; primitives as <see cref="ValueText"/> formats them
/// (numbers and booleans stay JSON numbers and booleans).
/// </summary>
public static class NestedJson
{
    /// <summary>Writes the value at <paramref name="row"/> of <paramref name="array"/> (null when the slot is null).</summary>
    public static void Write(Utf8JsonWriter json, IArrowArray array, int row, IcebergType type)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(array);
        switch (type)
        {
            case PrimitiveType p:
                WritePrimitive(json, ArrowValues.Get(array, row, p), p);
                break;
            case IcebergStructType s:
                WriteStruct(json, (StructArray)array, row, s);
                break;
            case IcebergMapType m:
                WriteMap(json, (MapArray)array, row, m);
                break;
            case IcebergListType l:
                WriteList(json, (ListArray)array, row, l);
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }

    /// <summary>The JSON text of a nested value, or null when the slot is null (CSV cells).</summary>
    public static string? Text(IArrowArray array, int row, IcebergType type)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.IsNull(row)) return null;
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, array, row, type);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a non-nested value; non-finite floats and temporal values become strings.</summary>
    public static void WritePrimitive(Utf8JsonWriter json, object? value, PrimitiveType type)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(type);
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

    private static void WriteStruct(Utf8JsonWriter json, StructArray array, int row, IcebergStructType type)
    {
        if (array.IsNull(row))
        {
            json.WriteNullValue();
            return;
        }
        // A struct's offset applies to its children, which Arrow keeps unsliced.
        var childRow = row + array.Offset;
        json.WriteStartObject();
        for (var i = 0; i < type.Fields.Count; i++)
        {
            json.WritePropertyName(type.Fields[i].Name);
            Write(json, array.Fields[i], childRow, type.Fields[i].Type);
        }
        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, ListArray array, int row, IcebergListType type)
    {
        if (array.IsNull(row))
        {
            json.WriteNullValue();
            return;
        }
        var offsets = array.ValueOffsets;
        json.WriteStartArray();
        for (var e = offsets[row]; e < offsets[row + 1]; e++)
        {
            Write(json, array.Values, e, type.ElementType);
        }
        json.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter json, MapArray array, int row, IcebergMapType type)
    {
        if (array.IsNull(row))
        {
            json.WriteNullValue();
            return;
        }
        var offsets = array.ValueOffsets;
        var stringKeys = type.KeyType is PrimitiveType { Id: TypeId.String };
        if (stringKeys) json.WriteStartObject();
        else json.WriteStartArray();
        for (var e = offsets[row]; e < offsets[row + 1]; e++)
        {
            if (stringKeys)
            {
                var key = ArrowValues.Get(array.Keys, e, (PrimitiveType)type.KeyType);
                json.WritePropertyName(key is null ? "" : ValueText.Format(key, PrimitiveType.String));
                Write(json, array.Values, e, type.ValueType);
                continue;
            }
            json.WriteStartObject();
            json.WritePropertyName("key");
            Write(json, array.Keys, e, type.KeyType);
            json.WritePropertyName("value");
            Write(json, array.Values, e, type.ValueType);
            json.WriteEndObject();
        }
        if (stringKeys) json.WriteEndObject();
        else json.WriteEndArray();
    }
}
