using System.Numerics;
using Floe.Kernels.Bitmaps;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// <c>= != &lt; &lt;= &gt; &gt;=</c> into a Bool vector: numbers (longs and timestamps as longs, doubles when either
/// side is a double, IEEE for NaN) run as one comparison kernel per column, against a single value when one side is a
/// literal; booleans compare word by word (false &lt; true); strings by code point (<see cref="CodePointOrder"/>).
/// A row is null when either side is; value bits under null rows are clear.
/// </summary>
internal static class ValueComparison
{
    /// <summary><c>a op b</c>.</summary>
    public static ValueVector Compare(string op, ValueVector a, ValueVector b)
    {
        int n = a.Length;
        var bits = new ulong[Bitmap.WordCount(n)];
        bool aNum = a.IsNumeric || a.Kind == ValueKind.Timestamp;
        bool bNum = b.IsNumeric || b.Kind == ValueKind.Timestamp;
        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            var x = a.Strings!;
            var y = b.Strings!;
            if (op is "=" or "!=")
            {
                // Equality needs no order: ordinal equality is code point equality.
                bool equal = op == "=";
                for (int i = 0; i < n; i++)
                {
                    if (string.Equals(x[i], y[i], StringComparison.Ordinal) == equal) { bits[i >> 6] |= 1UL << (i & 63); }
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    if (Holds(op, CodePointOrder.Compare(x[i], y[i]))) { bits[i >> 6] |= 1UL << (i & 63); }
                }
            }
        }
        else if (aNum && bNum && (a.Longs is null || b.Longs is null))
        {
            Columns(op, ValueColumns.Doubles(a), ValueColumns.Doubles(b), bits);
        }
        else if (aNum && bNum)
        {
            Columns(op, ValueColumns.Longs(a), ValueColumns.Longs(b), bits);
        }
        else if (a.Kind == ValueKind.Bool && b.Kind == ValueKind.Bool)
        {
            Booleans(op, a.Bits!, b.Bits!, bits);
            Bitmap.ClearTail(bits, n);
        }
        else
        {
            throw new ExpressionException($"cannot compare {ValueColumns.KindName(a.Kind)} with {ValueColumns.KindName(b.Kind)}");
        }
        return Result(bits, ValueColumns.AndValid(a, b), n);
    }

    /// <summary><c>a op literal</c> (or <c>literal op a</c> when <paramref name="literalLeft"/>), the literal a long or a double.</summary>
    public static ValueVector CompareLiteral(string op, ValueVector a, object literal, bool literalLeft)
    {
        int n = a.Length;
        if (!(a.IsNumeric || a.Kind == ValueKind.Timestamp))
        {
            string lit = literal is long ? "int64" : "float64";
            string col = ValueColumns.KindName(a.Kind);
            throw new ExpressionException(literalLeft ? $"cannot compare {lit} with {col}" : $"cannot compare {col} with {lit}");
        }
        if (literalLeft) { op = Flip(op); }
        var bits = new ulong[Bitmap.WordCount(n)];
        if (a.Longs is not null && literal is long l) { Scalar(op, ValueColumns.Longs(a), l, bits); }
        else { Scalar(op, ValueColumns.Doubles(a), literal is long k ? k : (double)literal, bits); }
        return Result(bits, a.Valid is null ? null : a.Valid.AsSpan(0, bits.Length).ToArray(), n);
    }

    private static ValueVector Result(ulong[] bits, ulong[]? valid, int n)
    {
        if (valid is not null) { Bitmap.And(bits, valid, bits); }
        return ValueVector.FromBits(bits, valid, n);
    }

    private static bool Holds(string op, int c) => op switch
    {
        "=" => c == 0,
        "!=" => c != 0,
        "<" => c < 0,
        "<=" => c <= 0,
        ">" => c > 0,
        _ => c >= 0,
    };

    private static string Flip(string op) => op switch
    {
        "<" => ">",
        "<=" => ">=",
        ">" => "<",
        ">=" => "<=",
        _ => op,
    };

    // One kernel call per column: the operator is chosen once, and the comparison runs as SIMD lane masks.
    private static void Columns<T>(string op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<ulong> bits)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case "=": ComparisonDriver.ToBitmap<T, EqualOperator<T>>(x, y, bits); break;
            case "!=": ComparisonDriver.ToBitmap<T, NotEqualOperator<T>>(x, y, bits); break;
            case "<": ComparisonDriver.ToBitmap<T, LessThanOperator<T>>(x, y, bits); break;
            case "<=": ComparisonDriver.ToBitmap<T, LessThanOrEqualOperator<T>>(x, y, bits); break;
            case ">": ComparisonDriver.ToBitmap<T, GreaterThanOperator<T>>(x, y, bits); break;
            default: ComparisonDriver.ToBitmap<T, GreaterThanOrEqualOperator<T>>(x, y, bits); break;
        }
    }

    private static void Scalar<T>(string op, ReadOnlySpan<T> x, T y, Span<ulong> bits)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case "=": ComparisonDriver.ToBitmap<T, EqualOperator<T>>(x, y, bits); break;
            case "!=": ComparisonDriver.ToBitmap<T, NotEqualOperator<T>>(x, y, bits); break;
            case "<": ComparisonDriver.ToBitmap<T, LessThanOperator<T>>(x, y, bits); break;
            case "<=": ComparisonDriver.ToBitmap<T, LessThanOrEqualOperator<T>>(x, y, bits); break;
            case ">": ComparisonDriver.ToBitmap<T, GreaterThanOperator<T>>(x, y, bits); break;
            default: ComparisonDriver.ToBitmap<T, GreaterThanOrEqualOperator<T>>(x, y, bits); break;
        }
    }

    // Booleans as bits, false < true: a word of 64 rows per step.
    private static void Booleans(string op, ulong[] a, ulong[] b, Span<ulong> bits)
    {
        for (int w = 0; w < bits.Length; w++)
        {
            ulong x = a[w], y = b[w];
            bits[w] = op switch
            {
                "=" => ~(x ^ y),
                "!=" => x ^ y,
                "<" => ~x & y,
                "<=" => ~x | y,
                ">" => x & ~y,
                _ => x | ~y,
            };
        }
    }
}
