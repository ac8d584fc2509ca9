namespace Floe.Avro;

/// <summary>
/// Decodes any Avro value into the generic model: null, bool, int, long, float, double, byte[] (bytes and fixed),
/// string, string (enum symbol), <see cref="AvroRecord"/>, <c>List&lt;object?&gt;</c> (array) and
/// <c>Dictionary&lt;string, object?&gt;</c> (map); a union yields its branch's value. Meant for tools and tests;
/// hot paths decode straight into their own types.
/// </summary>
public static class AvroGenericReader
{
    /// <summary>Reads one value written with <paramref name="schema"/>.</summary>
    public static object? Read(AvroDecoder decoder, AvroSchema schema)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                return null;
            case AvroType.Boolean:
                return decoder.ReadBoolean();
            case AvroType.Int:
                return decoder.ReadInt();
            case AvroType.Long:
                return decoder.ReadLong();
            case AvroType.Float:
                return decoder.ReadFloat();
            case AvroType.Double:
                return decoder.ReadDouble();
            case AvroType.Bytes:
                return decoder.ReadBytes();
            case AvroType.String:
                return decoder.ReadString();
            case AvroType.Fixed:
                return decoder.ReadFixedSpan(((AvroFixedSchema)schema).Size).ToArray();
            case AvroType.Enum:
                {
                    var symbols = ((AvroEnumSchema)schema).Symbols;
                    var index = decoder.ReadInt();
                    return (uint)index < (uint)symbols.Count ? symbols[index] : throw decoder.Corrupt($"enum index {index} out of range");
                }
            case AvroType.Union:
                {
                    var union = (AvroUnionSchema)schema;
                    return Read(decoder, union.Branches[decoder.ReadUnionIndex(union.Branches.Count)]);
                }
            case AvroType.Record:
                {
                    var record = (AvroRecordSchema)schema;
                    var values = new object?[record.Fields.Count];
                    for (var i = 0; i < values.Length; i++) values[i] = Read(decoder, record.Fields[i].Schema);
                    return new AvroRecord(record, values);
                }
            case AvroType.Array:
                {
                    var items = ((AvroArraySchema)schema).Items;
                    var list = new List<object?>();
                    for (var n = decoder.ReadBlockCount(); n != 0; n = decoder.ReadBlockCount())
                    {
                        for (long i = 0; i < n; i++) list.Add(Read(decoder, items));
                    }
                    return list;
                }
            case AvroType.Map:
                {
                    var values = ((AvroMapSchema)schema).Values;
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    for (var n = decoder.ReadBlockCount(); n != 0; n = decoder.ReadBlockCount())
                    {
                        for (long i = 0; i < n; i++)
                        {
                            var key = decoder.ReadString();
                            map[key] = Read(decoder, values);
                        }
                    }
                    return map;
                }
            default:
                throw decoder.Corrupt($"unknown schema type {schema.Type}");
        }
    }
}
