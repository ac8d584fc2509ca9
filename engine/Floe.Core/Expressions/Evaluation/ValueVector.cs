using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// One column of values in Arrow's layout, the one typed column container of the engine (the expression evaluator
/// and the feature engine alike): longs (Int64, Timestamp as µs UTC), doubles, bit-packed booleans, UTF-8 strings
/// (bytes plus <c>Length + 1</c> offsets) or lists (offsets into a vector of elements), plus an optional validity
/// bitmap (null: every row valid). Bitmaps are Arrow's layout (one bit per row, LSB first) held as 64-bit words.
/// Only the first <see cref="Length"/> slots count; arrays may be longer, and are shared, not copied. A vector is
/// immutable once built.
/// </summary>
public sealed partial class ValueVector
{
    private ValueVector(ValueKind kind, int length, long[]? longs, double[]? doubles, ulong[]? bits, ulong[]? valid)
    {
        Kind = kind;
        Length = length;
        Longs = longs;
        Doubles = doubles;
        Bits = bits;
        Valid = valid;
    }

    /// <summary>The value type (for a list column, the element type).</summary>
    public ValueKind Kind { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    /// <summary>Int64 and Timestamp values.</summary>
    public long[]? Longs { get; }

    /// <summary>Float64 values.</summary>
    public double[]? Doubles { get; }

    /// <summary>Bool values, one bit per row.</summary>
    public ulong[]? Bits { get; }

    /// <summary>The validity bitmap, or null when every row is valid.</summary>
    public ulong[]? Valid { get; }

    /// <summary>Whether row <paramref name="row"/> is valid (not null).</summary>
    public bool IsValid(int row) => Valid is null || ((Valid[row >> 6] >> (row & 63)) & 1UL) != 0;

    /// <summary>Whether <see cref="Kind"/> is Int64 or Float64.</summary>
    public bool IsNumeric => Kind is ValueKind.Int64 or ValueKind.Float64;

    /// <summary>The Bool value at <paramref name="row"/> (false under null).</summary>
    public bool GetBool(int row) => ((Bits![row >> 6] >> (row & 63)) & 1UL) != 0;

    /// <summary>The value at <paramref name="row"/> as a double (numeric and timestamp kinds only).</summary>
    public double GetDouble(int row) => Doubles is not null ? Doubles[row] : Longs![row];

    /// <summary>An Int64 or Timestamp column over <paramref name="values"/> (<paramref name="length"/> -1: the array's length).</summary>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not Int64 or Timestamp, or the arrays are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromLongs(ValueKind kind, long[] values, ulong[]? valid, int length = -1)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (kind is not (ValueKind.Int64 or ValueKind.Timestamp)) { throw new ArgumentException("longs hold Int64 or Timestamp values", nameof(kind)); }
        if (length < 0) { length = values.Length; }
        Check(values.Length, valid, length);
        return new(kind, length, values, null, null, valid);
    }

    /// <summary>A Float64 column over <paramref name="values"/> (<paramref name="length"/> -1: the array's length).</summary>
    /// <exception cref="ArgumentException">The arrays are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromDoubles(double[] values, ulong[]? valid, int length = -1)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (length < 0) { length = values.Length; }
        Check(values.Length, valid, length);
        return new(ValueKind.Float64, length, null, values, null, valid);
    }

    /// <summary>A Bool column over value bits.</summary>
    /// <exception cref="ArgumentException">The bitmaps are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromBits(ulong[] bits, ulong[]? valid, int length)
    {
        ArgumentNullException.ThrowIfNull(bits);
        Check(bits.Length * 64L > int.MaxValue ? int.MaxValue : bits.Length * 64, valid, length);
        return new(ValueKind.Bool, length, null, null, bits, valid);
    }

    /// <summary>A Bool column from 0/1 longs (aggregation outputs keep booleans as numbers): bit i is <c>values[i] != 0</c>.</summary>
    /// <exception cref="ArgumentException">The arrays are shorter than <paramref name="length"/>.</exception>
    public static ValueVector FromFlagLongs(long[] values, ulong[]? valid, int length)
    {
        ArgumentNullException.ThrowIfNull(values);
        Check(values.Length, valid, length);
        var bits = new ulong[Bitmap.WordCount(length)];
        Bitmap.FromFlags(values.AsSpan(0, length), bits);
        return new(ValueKind.Bool, length, null, null, bits, valid);
    }

    /// <summary>A Bool column from one flag per row.</summary>
    /// <exception cref="ArgumentException"><paramref name="valid"/> is shorter than the flags.</exception>
    public static ValueVector FromBools(ReadOnlySpan<bool> values, ulong[]? valid)
    {
        var bits = new ulong[Bitmap.WordCount(values.Length)];
        Bitmap.FromFlags(values, bits);
        return FromBits(bits, valid, values.Length);
    }

    /// <summary>A zero-row column of <paramref name="kind"/>.</summary>
    public static ValueVector Empty(ValueKind kind) => kind switch
    {
        ValueKind.Float64 => FromDoubles([], null, 0),
        ValueKind.String => FromUtf8([], [0], null, 0),
        ValueKind.Bool => FromBits([], null, 0),
        _ => FromLongs(kind, [], null, 0),
    };

    /// <summary>Validity from per-row flags: null when every flag is true.</summary>
    public static ulong[]? Validity(ReadOnlySpan<bool> flags)
    {
        var words = new ulong[Bitmap.WordCount(flags.Length)];
        Bitmap.FromFlags(flags, words);
        return Bitmap.PopCount(words, flags.Length) == flags.Length ? null : words;
    }

    /// <summary>Validity from per-row flags, or null for a null array (every row valid).</summary>
    public static ulong[]? Validity(bool[]? flags) => flags is null ? null : Validity(flags.AsSpan());

    private static void Check(int slots, ulong[]? valid, int length)
    {
        if (length < 0 || slots < length || (valid is not null && valid.Length < Bitmap.WordCount(length)))
        {
            throw new ArgumentException("arrays are shorter than the length", nameof(length));
        }
    }
}
