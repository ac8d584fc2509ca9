using System.Buffers.Binary;
using Floe.Core.Types;

namespace Floe.Parquet.Reading;

/// <summary>Conversions from Parquet physical/CLR values to the engine representation of the target type, including Iceberg type promotions (int→long, float→double, decimal widening).</summary>
internal sealed partial class LeafColumn
{
    private void NormalizeBool(bool[] v, PrimitiveType target)
    {
        if (target.Id != TypeId.Boolean) throw Mismatch(target);
        Bool = v;
    }

    private void NormalizeInt32(int[] v, PrimitiveType target)
    {
        switch (target.Id)
        {
            case TypeId.Int:
            case TypeId.Date:
                I32 = v;
                break;
            case TypeId.Long:
                I64 = Array.ConvertAll(v, x => (long)x);
                break;
            case TypeId.Decimal:
                Dec = Array.ConvertAll(v, x => (Int128)x);
                break;
            case TypeId.Time:
                I64 = Array.ConvertAll(v, x => x * 1000L); // TIME_MILLIS
                break;
            default:
                throw Mismatch(target);
        }
    }

    private void NormalizeInt64(long[] v, PrimitiveType target) => NormalizeInt64Raw(v, target, FileTimeUnit());

    private void NormalizeInt64Raw(long[] v, PrimitiveType target, TimeUnitKind unit)
    {
        switch (target.Id)
        {
            case TypeId.Long:
                I64 = v;
                break;
            case TypeId.Decimal:
                Dec = Array.ConvertAll(v, x => (Int128)x);
                break;
            case TypeId.Time:
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                I64 = unit switch
                {
                    TimeUnitKind.Millis => Array.ConvertAll(v, x => x * 1000),
                    TimeUnitKind.Nanos => Array.ConvertAll(v, x => Math.DivRem(x, 1000).Quotient - (x % 1000 < 0 ? 1 : 0)),
                    _ => v,
                };
                break;
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                I64 = unit switch
                {
                    TimeUnitKind.Millis => Array.ConvertAll(v, x => x * 1_000_000),
                    TimeUnitKind.Micros => Array.ConvertAll(v, x => x * 1000),
                    _ => v,
                };
                break;
            default:
                throw Mismatch(target);
        }
    }

    private void NormalizeFloat(float[] v, PrimitiveType target)
    {
        switch (target.Id)
        {
            case TypeId.Float:
                F32 = v;
                break;
            case TypeId.Double:
                F64 = Array.ConvertAll(v, x => (double)x);
                break;
            default:
                throw Mismatch(target);
        }
    }

    private void NormalizeDouble(double[] v, PrimitiveType target)
    {
        if (target.Id != TypeId.Double) throw Mismatch(target);
        F64 = v;
    }

    private void NormalizeBytes(ReadOnlyMemory<byte>[] v, PrimitiveType target)
    {
        switch (target.Id)
        {
            case TypeId.String:
            case TypeId.Binary:
            case TypeId.Uuid:
            case TypeId.Fixed:
                Bytes = v;
                break;
            case TypeId.Decimal:
                Dec = Array.ConvertAll(v, x => x.IsEmpty ? Int128.Zero : FromBigEndian(x.Span));
                break;
            default:
                throw Mismatch(target);
        }
    }

    private void NormalizeDateTime(DateTime[] v, PrimitiveType target)
    {
        switch (target.Id)
        {
            case TypeId.Date:
                I32 = Array.ConvertAll(v, x => (int)Math.Floor((x.Ticks - EpochTicks) / (double)TimeSpan.TicksPerDay));
                break;
            case TypeId.Timestamp:
            case TypeId.TimestampTz:
                I64 = Array.ConvertAll(v, x => (x.Ticks - EpochTicks) / 10);
                break;
            case TypeId.TimestampNs:
            case TypeId.TimestampTzNs:
                I64 = Array.ConvertAll(v, x => (x.Ticks - EpochTicks) * 100);
                break;
            default:
                throw Mismatch(target);
        }
    }

    private void NormalizeDecimal(decimal[] v, PrimitiveType target)
    {
        if (target.Id != TypeId.Decimal) throw Mismatch(target);
        Dec = Array.ConvertAll(v, x => Unscaled(x, target.Scale));
    }

    /// <summary>The unscaled integer of <paramref name="value"/> at <paramref name="scale"/> (exact for scales the value has).</summary>
    public static Int128 Unscaled(decimal value, int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var valueScale = (bits[3] >> 16) & 0xFF;
        if ((bits[3] & int.MinValue) != 0) mantissa = -mantissa;
        for (; valueScale < scale; valueScale++) mantissa *= 10;
        for (; valueScale > scale; valueScale--) mantissa /= 10;
        return mantissa;
    }

    private static Int128 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 16) bytes = bytes[^16..];
        Span<byte> full = stackalloc byte[16];
        full.Fill((bytes[0] & 0x80) != 0 ? (byte)0xFF : (byte)0);
        bytes.CopyTo(full[(16 - bytes.Length)..]);
        return BinaryPrimitives.ReadInt128BigEndian(full);
    }
}
