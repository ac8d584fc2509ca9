using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Floe.Core.Errors;
using Floe.Avro;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Iceberg primitive values in Avro (spec "Avro" section): the Avro schema of each type, and encoding/decoding of
/// the engine's CLR representation (see <see cref="PrimitiveType"/>). Used for manifest partition tuples.
/// </summary>
internal static class PartitionValueCodec
{
    /// <summary>The Avro schema Iceberg stores <paramref name="type"/> as (same names and annotations as Java).</summary>
    public static AvroSchema ToAvroSchema(PrimitiveType type) => type.Id switch
    {
        TypeId.Boolean => AvroPrimitiveSchema.Boolean,
        TypeId.Int => AvroPrimitiveSchema.Int,
        TypeId.Long => AvroPrimitiveSchema.Long,
        TypeId.Float => AvroPrimitiveSchema.Float,
        TypeId.Double => AvroPrimitiveSchema.Double,
        TypeId.Date => new AvroPrimitiveSchema(AvroType.Int) { LogicalType = "date" },
        TypeId.Time => new AvroPrimitiveSchema(AvroType.Long) { LogicalType = "time-micros" },
        TypeId.Timestamp => Timestamp("timestamp-micros", utc: false),
        TypeId.TimestampTz => Timestamp("timestamp-micros", utc: true),
        TypeId.TimestampNs => Timestamp("timestamp-nanos", utc: false),
        TypeId.TimestampTzNs => Timestamp("timestamp-nanos", utc: true),
        TypeId.String => AvroPrimitiveSchema.String,
        TypeId.Binary => AvroPrimitiveSchema.Bytes,
        TypeId.Uuid => new AvroFixedSchema("uuid_fixed", null, 16) { LogicalType = "uuid" },
        TypeId.Fixed => new AvroFixedSchema("fixed_" + type.Length, null, type.Length),
        TypeId.Decimal => new AvroFixedSchema($"decimal_{type.Precision}_{type.Scale}", null, DecimalBytes(type.Precision))
        {
            LogicalType = "decimal",
            Properties = new Dictionary<string, JsonNode?> { ["precision"] = type.Precision, ["scale"] = type.Scale },
        },
        _ => throw Errors.Unsupported($"type {type} cannot be stored in an Avro manifest"),
    };

    /// <summary>
    /// Writes a non-null value of <paramref name="type"/>. Returns false (writing nothing) when the value's CLR type
    /// is not the representation of <paramref name="type"/>, so the caller can name the offending field.
    /// </summary>
    public static bool TryWrite(AvroEncoder encoder, PrimitiveType type, object value)
    {
        switch (type.Id)
        {
            case TypeId.Boolean when value is bool b:
                encoder.WriteBoolean(b);
                return true;
            case TypeId.Int or TypeId.Date when value is int i:
                encoder.WriteInt(i);
                return true;
            case TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs:
                if (value is long l) encoder.WriteLong(l);
                else if (value is int li) encoder.WriteLong(li);
                else return false;
                return true;
            case TypeId.Float when value is float f:
                encoder.WriteFloat(f);
                return true;
            case TypeId.Double:
                if (value is double d) encoder.WriteDouble(d);
                else if (value is float df) encoder.WriteDouble(df);
                else return false;
                return true;
            case TypeId.String when value is string s:
                encoder.WriteString(s);
                return true;
            case TypeId.Binary when value is byte[] bytes:
                encoder.WriteBytes(bytes);
                return true;
            case TypeId.Fixed when value is byte[] fixedBytes && fixedBytes.Length == type.Length:
                encoder.WriteFixed(fixedBytes);
                return true;
            case TypeId.Uuid when value is Guid g:
                {
                    Span<byte> buffer = stackalloc byte[16];
                    g.TryWriteBytes(buffer, bigEndian: true, out _);
                    encoder.WriteFixed(buffer);
                    return true;
                }
            case TypeId.Decimal when value is decimal m:
                {
                    var size = DecimalBytes(type.Precision);
                    var unscaled = Conversions.UnscaledDecimal(m, type.Scale);
                    Span<byte> buffer = stackalloc byte[Math.Max(size, 16)];
                    var raw = unscaled.GetByteCount(isUnsigned: false);
                    if (raw > size) throw Errors.InvalidArgument($"decimal value {m} does not fit decimal({type.Precision}, {type.Scale})");
                    // Big-endian two's complement, sign-extended to the fixed size.
                    buffer[..size].Fill(unscaled.Sign < 0 ? (byte)0xFF : (byte)0);
                    unscaled.TryWriteBytes(buffer.Slice(size - raw, raw), out _, isUnsigned: false, isBigEndian: true);
                    encoder.WriteFixed(buffer[..size]);
                    return true;
                }
            default:
                return false;
        }
    }

    /// <summary>
    /// Reads a non-null value written as Avro <paramref name="schema"/> (never a union) and converts it to the CLR
    /// representation of <paramref name="type"/> (int promoted to long, float to double, fixed/bytes decimals and
    /// uuids decoded). Without a <paramref name="type"/> the Avro type and its logical annotation decide.
    /// </summary>
    public static object Read(AvroDecoder decoder, AvroSchema schema, PrimitiveType? type)
    {
        switch (schema.Type)
        {
            case AvroType.Boolean:
                return decoder.ReadBoolean();
            case AvroType.Int:
                {
                    // Each arm is cast to object: a switch expression would otherwise widen every arm to double.
                    var i = decoder.ReadInt();
                    return type?.Id switch
                    {
                        TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs => (object)(long)i,
                        TypeId.Double => (object)(double)i,
                        TypeId.Float => (object)(float)i,
                        _ => (object)i,
                    };
                }
            case AvroType.Long:
                {
                    var l = decoder.ReadLong();
                    return type?.Id switch
                    {
                        TypeId.Int or TypeId.Date when l is >= int.MinValue and <= int.MaxValue => (object)(int)l,
                        TypeId.Double => (object)(double)l,
                        _ => (object)l,
                    };
                }
            case AvroType.Float:
                {
                    var f = decoder.ReadFloat();
                    return type?.Id == TypeId.Double ? (object)(double)f : f;
                }
            case AvroType.Double:
                return decoder.ReadDouble();
            case AvroType.String:
                {
                    var s = decoder.ReadString();
                    if (type?.Id == TypeId.Uuid || (type is null && schema.LogicalType == "uuid"))
                    {
                        return Guid.TryParse(s, out var g) ? g : throw decoder.Corrupt($"'{s}' is not a uuid");
                    }
                    return s;
                }
            case AvroType.Bytes:
                return FromBinary(decoder, decoder.ReadBytesSpan(), schema, type);
            case AvroType.Fixed:
                return FromBinary(decoder, decoder.ReadFixedSpan(((AvroFixedSchema)schema).Size), schema, type);
            default:
                throw decoder.Corrupt($"Avro type {AvroPrimitiveSchema.NameOf(schema.Type)} cannot hold a partition value");
        }
    }


    /// <summary>
    /// An Avro-compatible name for <paramref name="name"/>, spelled as Java's <c>AvroSchemaUtil.makeCompatibleName</c>:
    /// a leading digit gets <c>_</c> before it, other invalid characters become <c>_x</c> + upper-case hex code.
    /// </summary>
    public static string AvroName(string name)
    {
        if (IsValidAvroName(name)) return name;
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i == 0 && char.IsAsciiDigit(c))
            {
                sb.Append('_').Append(c);
            }
            else if (char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c)))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append("_x").Append(((int)c).ToString("X", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    /// <summary>Bytes of the smallest two's complement fixed that holds every unscaled value of <paramref name="precision"/> digits.</summary>
    public static int DecimalBytes(int precision)
    {
        var limit = BigInteger.Pow(10, precision);
        var bytes = 1;
        while (BigInteger.Pow(2, 8 * bytes - 1) < limit) bytes++;
        return bytes;
    }

    private static bool IsValidAvroName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_')) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }
        return true;
    }

    private static AvroPrimitiveSchema Timestamp(string logical, bool utc) =>
        new(AvroType.Long) { LogicalType = logical, Properties = new Dictionary<string, JsonNode?> { ["adjust-to-utc"] = utc } };

    private static object FromBinary(AvroDecoder decoder, ReadOnlySpan<byte> bytes, AvroSchema schema, PrimitiveType? type)
    {
        if (type?.Id == TypeId.Decimal || (type is null && schema.LogicalType == "decimal"))
        {
            var scale = type?.Scale ?? schema.GetIntProperty("scale") ?? 0;
            try
            {
                return Conversions.ScaledDecimal(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), scale);
            }
            catch (FloeException e)
            {
                throw decoder.Corrupt(e.Message);
            }
        }
        if (type?.Id == TypeId.Uuid || (type is null && schema.LogicalType == "uuid"))
        {
            if (bytes.Length != 16) throw decoder.Corrupt($"a uuid must be 16 bytes, found {bytes.Length}");
            return new Guid(bytes, bigEndian: true);
        }
        if (type?.Id == TypeId.String) return Encoding.UTF8.GetString(bytes);
        return bytes.ToArray();
    }

}
