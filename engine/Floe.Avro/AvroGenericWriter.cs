using System.Collections;
using Floe.Core.Errors;

namespace Floe.Avro;

/// <summary>
/// Encodes values of the generic model (see <see cref="AvroGenericReader"/>) with a schema. Numeric values widen
/// where Avro's promotion rules allow (int to long, float, double; long to float, double; float to double).
/// For a union the first branch that accepts the value is used. A value that fits no branch is InvalidArgument.
/// </summary>
public static class AvroGenericWriter
{
    /// <summary>Writes <paramref name="value"/> as <paramref name="schema"/>.</summary>
    public static void Write(AvroEncoder encoder, AvroSchema schema, object? value)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                if (value is not null) throw Mismatch(schema, value);
                return;
            case AvroType.Boolean:
                encoder.WriteBoolean(value is bool b ? b : throw Mismatch(schema, value));
                return;
            case AvroType.Int:
                encoder.WriteInt(value is int i ? i : throw Mismatch(schema, value));
                return;
            case AvroType.Long:
                encoder.WriteLong(value switch { long l => l, int i2 => i2, _ => throw Mismatch(schema, value) });
                return;
            case AvroType.Float:
                encoder.WriteFloat(value switch { float f => f, int i3 => i3, long l2 => l2, _ => throw Mismatch(schema, value) });
                return;
            case AvroType.Double:
                encoder.WriteDouble(value switch { double d => d, float f2 => f2, int i4 => i4, long l3 => l3, _ => throw Mismatch(schema, value) });
                return;
            case AvroType.Bytes:
                encoder.WriteBytes(value is byte[] bytes ? bytes : throw Mismatch(schema, value));
                return;
            case AvroType.String:
                encoder.WriteString(value is string s ? s : throw Mismatch(schema, value));
                return;
            case AvroType.Fixed:
                {
                    var size = ((AvroFixedSchema)schema).Size;
                    if (value is not byte[] fixedBytes || fixedBytes.Length != size) throw Mismatch(schema, value);
                    encoder.WriteFixed(fixedBytes);
                    return;
                }
            case AvroType.Enum:
                {
                    var index = value is string symbol ? IndexOf(((AvroEnumSchema)schema).Symbols, symbol) : -1;
                    if (index < 0) throw Mismatch(schema, value);
                    encoder.WriteInt(index);
                    return;
                }
            case AvroType.Union:
                {
                    var union = (AvroUnionSchema)schema;
                    var branch = FindBranch(union, value);
                    if (branch < 0) throw Mismatch(schema, value);
                    encoder.WriteUnionIndex(branch);
                    Write(encoder, union.Branches[branch], value);
                    return;
                }
            case AvroType.Record:
                {
                    var record = (AvroRecordSchema)schema;
                    if (value is not AvroRecord r || r.Values.Length != record.Fields.Count) throw Mismatch(schema, value);
                    for (var f = 0; f < record.Fields.Count; f++) Write(encoder, record.Fields[f].Schema, r.Values[f]);
                    return;
                }
            case AvroType.Array:
                {
                    if (value is not IList list) throw Mismatch(schema, value);
                    var items = ((AvroArraySchema)schema).Items;
                    encoder.WriteBlockStart(list.Count);
                    foreach (var item in list) Write(encoder, items, item);
                    encoder.WriteBlockEnd();
                    return;
                }
            case AvroType.Map:
                {
                    if (value is not IDictionary map) throw Mismatch(schema, value);
                    var values = ((AvroMapSchema)schema).Values;
                    encoder.WriteBlockStart(map.Count);
                    foreach (DictionaryEntry entry in map)
                    {
                        encoder.WriteString(entry.Key as string ?? throw Mismatch(schema, value));
                        Write(encoder, values, entry.Value);
                    }
                    encoder.WriteBlockEnd();
                    return;
                }
        }
    }

    private static int FindBranch(AvroUnionSchema union, object? value)
    {
        if (value is null) return union.NullIndex;
        for (var i = 0; i < union.Branches.Count; i++)
        {
            if (Accepts(union.Branches[i], value)) return i;
        }
        return -1;
    }

    private static bool Accepts(AvroSchema schema, object value) => schema.Type switch
    {
        AvroType.Null => false,
        AvroType.Boolean => value is bool,
        AvroType.Int => value is int,
        AvroType.Long => value is long or int,
        AvroType.Float => value is float or int or long,
        AvroType.Double => value is double or float or int or long,
        AvroType.Bytes => value is byte[],
        AvroType.String => value is string,
        AvroType.Fixed => value is byte[] b && b.Length == ((AvroFixedSchema)schema).Size,
        AvroType.Enum => value is string s && IndexOf(((AvroEnumSchema)schema).Symbols, s) >= 0,
        AvroType.Record => value is AvroRecord r && r.Schema.FullName == ((AvroRecordSchema)schema).FullName,
        AvroType.Array => value is IList,
        AvroType.Map => value is IDictionary,
        _ => false,
    };

    private static int IndexOf(IReadOnlyList<string> symbols, string symbol)
    {
        for (var i = 0; i < symbols.Count; i++)
        {
            if (symbols[i] == symbol) return i;
        }
        return -1;
    }

    private static FloeException Mismatch(AvroSchema schema, object? value) =>
        Errors.InvalidArgument($"value {value ?? "null"} ({value?.GetType().Name ?? "null"}) does not match Avro schema {AvroSchemaWriter.ToJson(schema)}");
}
