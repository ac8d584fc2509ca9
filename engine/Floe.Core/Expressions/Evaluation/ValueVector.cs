using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// One column of values as <see cref="ValueEvaluator"/> reads and writes them: longs (Int64, Timestamp as µs UTC),
/// doubles, bit-packed booleans or strings, plus an optional validity bitmap (null: every row valid). Bitmaps are
/// Arrow's layout (one bit per row, LSB first) held as 64-bit words. Only the first <see cref="Length"/> slots count;
/// arrays may be longer, and are shared, not copied.
/// </summary>
public sealed class ValueVector
{
    private ValueVector(ValueKind kind, int length, long[]? longs, double[]? doubles, string?[]? strings, ulong[]? bits, ulong[]? valid)
    {
        Kind = kind;
        Length = length;
        Longs = longs;
        Doubles = doubles;
        Strings = strings;
        Bits = bits;
        Valid = valid;
    }

    /// <summary>The value type.</summary>
    public ValueKind Kind { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    /// <summary>Int64 and Timestamp values.</summary>
    public long[]? Longs { get; }

    /// <summary>Float64 values.</summary>
    public double[]? Doubles { get; }

    /// <summary>String values (null where the row is null).</summary>
    public string?[]? Strings { get; }

    /// <summary>Bool values, one bit per row.</summary>
    public ulong[]? Bits { get; }

    /// <summary>The validity bitmap, or null when every row is valid.</summary>
    public ulong[]? Valid { get; }

    /// <summary>An Int64 or Timestamp column over <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not Int64 or Timestamp, or the arrays are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromLongs(ValueKind kind, long[] values, ulong[]? valid, int length)
    {
        if (kind is not (ValueKind.Int64 or ValueKind.Timestamp)) { throw new ArgumentException("longs hold Int64 or Timestamp values", nameof(kind)); }
        Check(values.Length, valid, length);
        return new(kind, length, values, null, null, null, valid);
    }

    /// <summary>A Float64 column over <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The arrays are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromDoubles(double[] values, ulong[]? valid, int length)
    {
        Check(values.Length, valid, length);
        return new(ValueKind.Float64, length, null, values, null, null, valid);
    }

    /// <summary>A Bool column over value bits.</summary>
    /// <exception cref="ArgumentException">The bitmaps are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromBits(ulong[] bits, ulong[]? valid, int length)
    {
        Check(bits.Length * 64L > int.MaxValue ? int.MaxValue : bits.Length * 64, valid, length);
        return new(ValueKind.Bool, length, null, null, null, bits, valid);
    }

    /// <summary>A String column; a null element is a null row (the validity is derived from them).</summary>
    /// <exception cref="ArgumentException">The array is shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromStrings(string?[] values, int length)
    {
        Check(values.Length, null, length);
        ulong[]? valid = null;
        for (int i = 0; i < length; i++)
        {
            if (values[i] is null)
            {
                valid ??= Bitmap.AllSet(length);
                valid[i >> 6] &= ~(1UL << (i & 63));
            }
        }
        return new(ValueKind.String, length, null, null, values, null, valid);
    }

    /// <summary>Whether row <paramref name="row"/> is valid (not null).</summary>
    public bool IsValid(int row) => Valid is null || ((Valid[row >> 6] >> (row & 63)) & 1UL) != 0;

    /// <summary>Whether <see cref="Kind"/> is Int64 or Float64.</summary>
    public bool IsNumeric => Kind is ValueKind.Int64 or ValueKind.Float64;

    private static void Check(int slots, ulong[]? valid, int length)
    {
        if (length < 0 || slots < length || (valid is not null && valid.Length < Bitmap.WordCount(length)))
        {
            throw new ArgumentException("arrays are shorter than the length", nameof(length));
        }
    }
}
