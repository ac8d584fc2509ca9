using System.Runtime.CompilerServices;
using Floe.Core.Errors;
using Floe.Avro;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Helpers shared by the manifest and manifest list decoders: resolving a writer's field to one of ours (by
/// <c>field-id</c>, else by name), checking its Avro type once per file, and reading nullable values.
/// </summary>
internal static class ManifestAvro
{
    /// <summary>
    /// False for a path no writer produces (empty, or with NUL or other control characters): a corrupt byte in a
    /// manifest must be reported as corrupt data, not reach the file system as a malformed path.
    /// </summary>
    public static bool IsPlausiblePath(string path)
    {
        if (path.Length == 0) return false;
        foreach (var c in path)
        {
            if (c < ' ' || c == '\u007f') return false;
        }
        return true;
    }

    /// <summary>
    /// The non-null schema of a value: for a union, reads the branch index and returns the branch, or null when the
    /// null branch was written; any other schema is returned as is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AvroSchema? Branch(AvroDecoder decoder, AvroSchema schema)
    {
        if (schema.Type != AvroType.Union) return schema;
        var union = (AvroUnionSchema)schema;
        var branch = union.Branches[decoder.ReadUnionIndex(union.Branches.Count)];
        return branch.IsNull ? null : branch;
    }

    /// <summary>Reads an int value, also accepting a long that fits.</summary>
    public static int ReadInt(AvroDecoder decoder, AvroSchema schema) => schema.Type == AvroType.Int ? decoder.ReadInt() : CheckedInt(decoder, decoder.ReadLong());

    /// <summary>Reads bytes or fixed as a new array.</summary>
    public static byte[] ReadBinary(AvroDecoder decoder, AvroSchema schema) =>
        schema.Type == AvroType.Fixed ? decoder.ReadFixedSpan(((AvroFixedSchema)schema).Size).ToArray() : decoder.ReadBytes();

    /// <summary>Reads a string (or UTF-8 bytes).</summary>
    public static string ReadString(AvroDecoder decoder, AvroSchema schema) =>
        schema.Type == AvroType.String ? decoder.ReadString() : System.Text.Encoding.UTF8.GetString(decoder.ReadBytesSpan());

    /// <summary>
    /// Checks that every non-null branch of <paramref name="schema"/> is one of <paramref name="allowed"/>; throws
    /// InvalidData naming the file and field otherwise.
    /// </summary>
    public static void CheckType(string location, string field, AvroSchema schema, params AvroType[] allowed)
    {
        if (schema is AvroUnionSchema union)
        {
            foreach (var branch in union.Branches)
            {
                if (!branch.IsNull) CheckType(location, field, branch, allowed);
            }
            return;
        }
        if (Array.IndexOf(allowed, schema.Type) < 0)
        {
            throw Errors.InvalidData(location, $"field '{field}' has Avro type {AvroSchemaWriter.ToJson(schema)}, expected {string.Join(" or ", allowed.Select(AvroPrimitiveSchema.NameOf))}");
        }
    }

    /// <summary>The single non-null branch type of a field's schema (the schema itself when it is not a union).</summary>
    public static AvroSchema NonNull(string location, string field, AvroSchema schema)
    {
        if (schema is not AvroUnionSchema union) return schema;
        AvroSchema? found = null;
        foreach (var branch in union.Branches)
        {
            if (branch.IsNull) continue;
            if (found is not null) throw Errors.InvalidData(location, $"field '{field}' is a union of several non-null types");
            found = branch;
        }
        return found ?? throw Errors.InvalidData(location, $"field '{field}' only holds null");
    }

    /// <summary>
    /// For an Iceberg map stored as an array of key/value records: the element record, checked to have a key and a
    /// value field of the allowed types.
    /// </summary>
    public static AvroRecordSchema KeyValueRecord(string location, string field, AvroSchema schema, AvroType[] keyTypes, AvroType[] valueTypes)
    {
        if (NonNull(location, field, schema) is not AvroArraySchema { Items: AvroRecordSchema record } || record.Fields.Count != 2)
        {
            throw Errors.InvalidData(location, $"field '{field}' must be an array of key/value records (Iceberg map)");
        }
        CheckType(location, field + ".key", record.Fields[0].Schema, keyTypes);
        CheckType(location, field + ".value", record.Fields[1].Schema, valueTypes);
        return record;
    }

    private static int CheckedInt(AvroDecoder decoder, long value) =>
        value is >= int.MinValue and <= int.MaxValue ? (int)value : throw decoder.Corrupt($"value {value} does not fit an int");
}
