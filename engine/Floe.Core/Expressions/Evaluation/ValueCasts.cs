using System.Globalization;
using Floe.Kernels.Bitmaps;
using Floe.Kernels.Comparison;
using Floe.Kernels.Conversion;
using Floe.Kernels.Drivers;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// <c>cast(x as type)</c>: longs and doubles convert by kernel (a double truncates toward zero, and is null where it has
/// no long: NaN, ±∞, out of range); booleans are 0/1; numbers are true where non-zero; strings parse with the invariant
/// culture (null where they do not parse) and print as the shortest round-trip form.
/// </summary>
internal static class ValueCasts
{
    public static ValueVector Cast(ValueVector v, ValueKind target, bool isNullLiteral)
    {
        int n = v.Length;
        if (isNullLiteral) { return ValueColumns.AllNull(target, n); }
        if (v.Kind == target) { return v; }
        if (target == ValueKind.Int64 && v.Kind == ValueKind.Timestamp) { return ValueVector.FromLongs(target, v.Longs!, v.Valid, n); }
        if (v.Kind == ValueKind.Bool)
        {
            if (target == ValueKind.Float64) { return ValueVector.FromDoubles(ValueColumns.Doubles(ValueVector.FromLongs(ValueKind.Int64, ValueColumns.BoolFlags(v), null, n)).ToArray(), v.Valid, n); }
            if (target is ValueKind.Int64 or ValueKind.Timestamp) { return ValueVector.FromLongs(target, ValueColumns.BoolFlags(v), v.Valid, n); }
        }
        switch (target)
        {
            case ValueKind.Float64 when v.Longs is not null:
                {
                    var r = new double[n];
                    UnaryDriver.Invoke<long, double, Int64ToDoubleOperator>(ValueColumns.Longs(v), r);
                    return ValueVector.FromDoubles(r, v.Valid, n);
                }
            case ValueKind.Float64 when v.Kind == ValueKind.String:
                {
                    var r = new double[n];
                    var valid = ValueColumns.ValidCopy(v);
                    for (int i = 0; i < n; i++)
                    {
                        if (!v.IsValid(i) || !double.TryParse(v.GetUtf8(i), NumberStyles.Float, CultureInfo.InvariantCulture, out r[i])) { Clear(valid, i); }
                    }
                    return ValueVector.FromDoubles(r, valid, n);
                }
            case ValueKind.Int64 or ValueKind.Timestamp when v.Kind == ValueKind.Float64:
                {
                    var r = new long[n];
                    var valid = ValueColumns.ValidCopy(v);
                    DoubleToInt64.Convert(v.Doubles.AsSpan(0, n), r, valid);
                    return ValueVector.FromLongs(target, r, valid, n);
                }
            case ValueKind.Int64 or ValueKind.Timestamp when v.Longs is not null:
                return ValueVector.FromLongs(target, v.Longs, v.Valid, n);
            case ValueKind.Int64 when v.Kind == ValueKind.String:
                {
                    var r = new long[n];
                    var valid = ValueColumns.ValidCopy(v);
                    for (int i = 0; i < n; i++)
                    {
                        if (!v.IsValid(i) || !long.TryParse(v.GetUtf8(i), NumberStyles.Integer, CultureInfo.InvariantCulture, out r[i])) { Clear(valid, i); }
                    }
                    return ValueVector.FromLongs(ValueKind.Int64, r, valid, n);
                }
            case ValueKind.Bool when v.IsNumeric:
                {
                    var bits = new ulong[Bitmap.WordCount(n)];
                    if (v.Doubles is not null) { ComparisonDriver.ToBitmap<double, NotEqualOperator<double>>(v.Doubles.AsSpan(0, n), 0.0, bits); }
                    else { ComparisonDriver.ToBitmap<long, NotEqualOperator<long>>(ValueColumns.Longs(v), 0L, bits); }
                    return ValueVector.FromBits(bits, v.Valid, n);
                }
            case ValueKind.String:
                return ToStrings(v);
        }
        throw new ExpressionException($"cannot cast {ValueColumns.KindName(v.Kind)} to {ValueColumns.KindName(target)}");
    }

    // Each valid row printed straight into one UTF-8 buffer (the shortest round-trip form for doubles), no string a row.
    private static ValueVector ToStrings(ValueVector v)
    {
        int n = v.Length;
        var offsets = new int[n + 1];
        var bytes = new byte[Math.Max(16, n * 4)];
        int at = 0;
        for (int i = 0; i < n; i++)
        {
            if (v.IsValid(i))
            {
                int written;
                while (!v.TryFormatUtf8(i, bytes.AsSpan(at), out written)) { Array.Resize(ref bytes, bytes.Length * 2); }
                at += written;
            }
            offsets[i + 1] = at;
        }
        return ValueVector.FromUtf8(bytes, offsets, v.Valid, n);
    }

    private static void Clear(ulong[] valid, int row) => valid[row >> 6] &= ~(1UL << (row & 63));
}
