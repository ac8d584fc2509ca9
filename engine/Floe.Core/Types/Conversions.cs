using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Floe.Core.Errors;

namespace Floe.Core.Types;

/// <summary>
/// The spec's single-value binary serialization (used for column bounds and partition summaries), between
/// bytes and the engine's CLR value representation (see <see cref="PrimitiveType"/>).
/// </summary>
public static class Conversions
{
    /// <summary>Serializes a non-null value of <paramref name="type"/>.</summary>
    public static byte[] ToBytes(PrimitiveType type, object value)
    {
        switch (type.Id.Storage())
        {
            case StorageKind.Boolean:
                return new[] { (byte)((bool)value ? 1 : 0) };
            case StorageKind.Int32:
                {
                    var b = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(b, Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                    return b;
                }
            case StorageKind.Int64:
                {
                    var b = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(b, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    return b;
                }
            case StorageKind.Float32:
                {
                    var b = new byte[4];
                    BinaryPrimitives.WriteSingleLittleEndian(b, (float)value);
                    return b;
                }
            case StorageKind.Float64:
                {
                    var b = new byte[8];
                    BinaryPrimitives.WriteDoubleLittleEndian(b, (double)value);
                    return b;
                }
            case StorageKind.Decimal:
                return UnscaledDecimal((decimal)value, type.Scale).ToByteArray(isUnsigned: false, isBigEndian: true);
            case StorageKind.String:
                return Encoding.UTF8.GetBytes((string)value);
            case StorageKind.Uuid:
                return ((Guid)value).ToByteArray(bigEndian: true);
            case StorageKind.Fixed:
            case StorageKind.Binary:
                return (byte[])((byte[])value).Clone();
            default:
                throw Floe.Core.Errors.Errors.Unsupported($"cannot serialize a value of type {type}");
        }
    }

    /// <summary>Deserializes bytes written by any Iceberg writer into the CLR representation of <paramref name="type"/>.</summary>
    public static object FromBytes(PrimitiveType type, ReadOnlySpan<byte> bytes)
    {
        switch (type.Id.Storage())
        {
            case StorageKind.Boolean:
                Need(type, bytes, 1);
                return bytes[0] != 0;
            case StorageKind.Int32:
                Need(type, bytes, 4);
                return BinaryPrimitives.ReadInt32LittleEndian(bytes);
            case StorageKind.Int64:
                // Spec: bounds of a long column promoted from int may still be stored as 4 bytes.
                if (bytes.Length == 4) return (long)BinaryPrimitives.ReadInt32LittleEndian(bytes);
                Need(type, bytes, 8);
                return BinaryPrimitives.ReadInt64LittleEndian(bytes);
            case StorageKind.Float32:
                Need(type, bytes, 4);
                return BinaryPrimitives.ReadSingleLittleEndian(bytes);
            case StorageKind.Float64:
                // Same promotion rule as long: a float bound may back a double column.
                if (bytes.Length == 4) return (double)BinaryPrimitives.ReadSingleLittleEndian(bytes);
                Need(type, bytes, 8);
                return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
            case StorageKind.Decimal:
                return ScaledDecimal(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), type.Scale);
            case StorageKind.String:
                return Encoding.UTF8.GetString(bytes);
            case StorageKind.Uuid:
                Need(type, bytes, 16);
                return new Guid(bytes, bigEndian: true);
            case StorageKind.Fixed:
            case StorageKind.Binary:
                return bytes.ToArray();
            default:
                throw Floe.Core.Errors.Errors.Unsupported($"cannot deserialize a value of type {type}");
        }
    }

    /// <summary>The unscaled integer of <paramref name="value"/> at <paramref name="scale"/>; throws if digits would be lost.</summary>
    public static BigInteger UnscaledDecimal(decimal value, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        var currentScale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        if (scale >= currentScale)
        {
            magnitude *= BigInteger.Pow(10, scale - currentScale);
        }
        else
        {
            var divisor = BigInteger.Pow(10, currentScale - scale);
            var quotient = BigInteger.DivRem(magnitude, divisor, out var remainder);
            if (!remainder.IsZero)
            {
                throw Floe.Core.Errors.Errors.InvalidData($"decimal value {value} has more than {scale} fractional digits");
            }
            magnitude = quotient;
        }
        return negative ? -magnitude : magnitude;
    }

    /// <summary>The decimal with unscaled value <paramref name="unscaled"/> and <paramref name="scale"/>.</summary>
    public static decimal ScaledDecimal(BigInteger unscaled, int scale)
    {
        var negative = unscaled.Sign < 0;
        var magnitude = BigInteger.Abs(unscaled);
        if (magnitude.GetBitLength() > 96 || scale > 28)
        {
            throw Floe.Core.Errors.Errors.Unsupported($"decimal value with unscaled {unscaled} and scale {scale} exceeds 96 bits (System.Decimal)");
        }
        var lo = (int)(uint)(magnitude & uint.MaxValue);
        var mid = (int)(uint)((magnitude >> 32) & uint.MaxValue);
        var hi = (int)(uint)((magnitude >> 64) & uint.MaxValue);
        return new decimal(lo, mid, hi, negative, (byte)scale);
    }

    private static void Need(PrimitiveType type, ReadOnlySpan<byte> bytes, int length)
    {
        if (bytes.Length != length)
        {
            throw Floe.Core.Errors.Errors.InvalidData($"a {type} bound must be {length} bytes, found {bytes.Length}");
        }
    }
}
