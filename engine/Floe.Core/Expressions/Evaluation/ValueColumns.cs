using Floe.Kernels.Bitmaps;
using Floe.Kernels.Conversion;
using Floe.Kernels.Drivers;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>The small column helpers the value operators share: constants, all-null columns, validity, widening.</summary>
internal static class ValueColumns
{
    public static string KindName(ValueKind k) => k.ToString().ToLowerInvariant();

    public static bool IsIntegral(ValueKind k) => k is ValueKind.Int64 or ValueKind.Timestamp;

    public static ValueVector Constant(object? value, int length)
    {
        switch (value)
        {
            case null:
                return ValueVector.FromLongs(ValueKind.Int64, new long[length], new ulong[Bitmap.WordCount(length)], length);
            case long l:
                {
                    var a = new long[length];
                    a.AsSpan().Fill(l);
                    return ValueVector.FromLongs(ValueKind.Int64, a, null, length);
                }
            case double d:
                {
                    var a = new double[length];
                    a.AsSpan().Fill(d);
                    return ValueVector.FromDoubles(a, null, length);
                }
            case bool b:
                return ValueVector.FromBits(b ? Bitmap.AllSet(length) : new ulong[Bitmap.WordCount(length)], null, length);
            case string s:
                {
                    // One encoding, repeated: a string constant costs its bytes per row, not an object.
                    var one = System.Text.Encoding.UTF8.GetBytes(s);
                    var bytes = GC.AllocateUninitializedArray<byte>(checked(one.Length * length));
                    var offsets = new int[length + 1];
                    for (int i = 0; i < length; i++)
                    {
                        one.CopyTo(bytes.AsSpan(i * one.Length));
                        offsets[i + 1] = (i + 1) * one.Length;
                    }
                    return ValueVector.FromUtf8(bytes, offsets, null, length);
                }
            default:
                throw new ExpressionException("unsupported literal");
        }
    }

    public static ValueVector AllNull(ValueKind kind, int n) => kind switch
    {
        ValueKind.Float64 => ValueVector.FromDoubles(new double[n], new ulong[Bitmap.WordCount(n)], n),
        ValueKind.String => ValueVector.FromUtf8([], new int[n + 1], new ulong[Bitmap.WordCount(n)], n),
        ValueKind.Bool => ValueVector.FromBits(new ulong[Bitmap.WordCount(n)], new ulong[Bitmap.WordCount(n)], n),
        _ => ValueVector.FromLongs(kind, new long[n], new ulong[Bitmap.WordCount(n)], n),
    };

    /// <summary>The AND of two validities as a new bitmap, or null when neither has nulls.</summary>
    public static ulong[]? AndValid(ValueVector a, ValueVector b)
    {
        int words = Bitmap.WordCount(a.Length);
        if (a.Valid is null) { return b.Valid is null ? null : b.Valid.AsSpan(0, words).ToArray(); }
        if (b.Valid is null) { return a.Valid.AsSpan(0, words).ToArray(); }
        var r = new ulong[words];
        Bitmap.And(a.Valid.AsSpan(0, words), b.Valid.AsSpan(0, words), r);
        return r;
    }

    /// <summary>The validity as a bitmap that may be written (a copy, all set when there are no nulls).</summary>
    public static ulong[] ValidCopy(ValueVector v) =>
        v.Valid is null ? Bitmap.AllSet(v.Length) : v.Valid.AsSpan(0, Bitmap.WordCount(v.Length)).ToArray();

    /// <summary>The validity for reading: the vector's own, or all set.</summary>
    public static ulong[] ValidOrAll(ValueVector v) => v.Valid ?? Bitmap.AllSet(v.Length);

    public static ReadOnlySpan<long> Longs(ValueVector v) => v.Longs.AsSpan(0, v.Length);

    /// <summary>The values as doubles: the vector's own, or longs widened by the conversion kernel.</summary>
    public static ReadOnlySpan<double> Doubles(ValueVector v)
    {
        if (v.Doubles is not null) { return v.Doubles.AsSpan(0, v.Length); }
        var r = new double[v.Length];
        UnaryDriver.Invoke<long, double, Int64ToDoubleOperator>(Longs(v), r);
        return r;
    }

    /// <summary>Booleans as 0/1 longs (for comparisons and casts).</summary>
    public static long[] BoolFlags(ValueVector v)
    {
        var r = new long[v.Length];
        var bits = v.Bits!;
        for (int i = 0; i < r.Length; i++) { r[i] = (long)((bits[i >> 6] >> (i & 63)) & 1UL); }
        return r;
    }
}
