using Floe.Kernels.Arithmetic;
using Floe.Kernels.Drivers;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// <c>+ - * / %</c> and unary minus as kernel calls: longs (timestamps count as longs) stay longs and wrap on
/// overflow; a double on either side makes both doubles; <c>/</c> is always a double and null for a zero divisor;
/// <c>%</c> is null for a zero divisor (and for <c>long.MinValue % -1</c>).
/// </summary>
internal static class ValueArithmetic
{
    public static ValueVector Negate(ValueVector v)
    {
        int n = v.Length;
        if (v.Kind == ValueKind.Float64)
        {
            var r = new double[n];
            UnaryDriver.Invoke<double, double, NegateOperator<double>>(v.Doubles.AsSpan(0, n), r);
            return ValueVector.FromDoubles(r, v.Valid, n);
        }
        if (v.Kind == ValueKind.Int64)
        {
            var r = new long[n];
            UnaryDriver.Invoke<long, long, NegateOperator<long>>(ValueColumns.Longs(v), r);
            return ValueVector.FromLongs(ValueKind.Int64, r, v.Valid, n);
        }
        throw new ExpressionException($"cannot negate a {ValueColumns.KindName(v.Kind)}");
    }

    /// <summary>
    /// <c>a op literal</c> for <c>+ - *</c> with a long or double literal: the same result as against a filled column
    /// (longs stay longs only when both sides are integral), run as one kernel against the value.
    /// </summary>
    public static ValueVector BinaryLiteral(string op, ValueVector a, object literal)
    {
        int n = a.Length;
        if (!(a.IsNumeric || a.Kind == ValueKind.Timestamp))
        {
            throw new ExpressionException($"'{op}' needs numeric operands, got {ValueColumns.KindName(a.Kind)} and {(literal is long ? "int64" : "float64")}");
        }
        var valid = a.Valid?.AsSpan(0, Floe.Kernels.Bitmaps.Bitmap.WordCount(n)).ToArray();
        if (ValueColumns.IsIntegral(a.Kind) && literal is long l)
        {
            var r = new long[n];
            var x = ValueColumns.Longs(a);
            switch (op)
            {
                case "+": BinaryDriver.Invoke<long, AddOperator<long>>(x, l, r); break;
                case "-": BinaryDriver.Invoke<long, SubtractOperator<long>>(x, l, r); break;
                default: BinaryDriver.Invoke<long, MultiplyOperator<long>>(x, l, r); break;
            }
            return ValueVector.FromLongs(ValueKind.Int64, r, valid, n);
        }
        double y = literal is long k ? k : (double)literal;
        var dx = ValueColumns.Doubles(a);
        var d = new double[n];
        switch (op)
        {
            case "+": BinaryDriver.Invoke<double, AddOperator<double>>(dx, y, d); break;
            case "-": BinaryDriver.Invoke<double, SubtractOperator<double>>(dx, y, d); break;
            default: BinaryDriver.Invoke<double, MultiplyOperator<double>>(dx, y, d); break;
        }
        return ValueVector.FromDoubles(d, valid, n);
    }

    public static ValueVector Binary(string op, ValueVector a, ValueVector b)
    {
        int n = a.Length;
        bool aNum = a.IsNumeric || a.Kind == ValueKind.Timestamp;
        bool bNum = b.IsNumeric || b.Kind == ValueKind.Timestamp;
        if (!aNum || !bNum)
        {
            throw new ExpressionException($"'{op}' needs numeric operands, got {ValueColumns.KindName(a.Kind)} and {ValueColumns.KindName(b.Kind)}");
        }
        var valid = ValueColumns.AndValid(a, b);
        if (op == "/")
        {
            var r = new double[n];
            valid ??= Floe.Kernels.Bitmaps.Bitmap.AllSet(n);
            SafeDivide.Divide(ValueColumns.Doubles(a), ValueColumns.Doubles(b), r, valid.AsSpan());
            return ValueVector.FromDoubles(r, valid, n);
        }
        if (ValueColumns.IsIntegral(a.Kind) && ValueColumns.IsIntegral(b.Kind))
        {
            var x = ValueColumns.Longs(a);
            var y = ValueColumns.Longs(b);
            var r = new long[n];
            switch (op)
            {
                case "+": BinaryDriver.Invoke<long, AddOperator<long>>(x, y, r); break;
                case "-": BinaryDriver.Invoke<long, SubtractOperator<long>>(x, y, r); break;
                case "*": BinaryDriver.Invoke<long, MultiplyOperator<long>>(x, y, r); break;
                case "%":
                    valid ??= Floe.Kernels.Bitmaps.Bitmap.AllSet(n);
                    SafeRemainder.Remainder(x, y, r, valid);
                    break;
                default: throw new ExpressionException($"unknown operator '{op}'");
            }
            return ValueVector.FromLongs(ValueKind.Int64, r, valid, n);
        }
        var dx = ValueColumns.Doubles(a);
        var dy = ValueColumns.Doubles(b);
        var d = new double[n];
        switch (op)
        {
            case "+": BinaryDriver.Invoke<double, AddOperator<double>>(dx, dy, d); break;
            case "-": BinaryDriver.Invoke<double, SubtractOperator<double>>(dx, dy, d); break;
            case "*": BinaryDriver.Invoke<double, MultiplyOperator<double>>(dx, dy, d); break;
            case "%":
                valid ??= Floe.Kernels.Bitmaps.Bitmap.AllSet(n);
                SafeRemainder.Remainder(dx, dy, d, valid);
                break;
            default: throw new ExpressionException($"unknown operator '{op}'");
        }
        return ValueVector.FromDoubles(d, valid, n);
    }
}
