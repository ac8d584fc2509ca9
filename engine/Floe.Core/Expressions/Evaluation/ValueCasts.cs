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
                        if (v.Strings![i] is not { } s || !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out r[i])) { Clear(valid, i); }
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
                        if (v.Strings![i] is not { } s || !long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out r[i])) { Clear(valid, i); }
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
                {
                    var r = new string?[n];
                    for (int i = 0; i < n; i++)
                    {
                        if (!v.IsValid(i)) { continue; }
                        r[i] = v.Kind switch
                        {
                            ValueKind.Float64 => v.Doubles![i].ToString("R", CultureInfo.InvariantCulture),
                            ValueKind.Bool => ((v.Bits![i >> 6] >> (i & 63)) & 1UL) != 0 ? "true" : "false",
                            _ => v.Longs![i].ToString(CultureInfo.InvariantCulture),
                        };
                    }
                    return ValueVector.FromStrings(r, n);
                }
        }
        throw new ExpressionException($"cannot cast {ValueColumns.KindName(v.Kind)} to {ValueColumns.KindName(target)}");
    }

    private static void Clear(ulong[] valid, int row) => valid[row >> 6] &= ~(1UL << (row & 63));
}
