using System.Globalization;
using System.Numerics.Tensors;
using Floe.Kernels.Arithmetic;
using Floe.Kernels.Bitmaps;
using Floe.Kernels.Drivers;
using Floe.Kernels.Selection;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// The built-in functions: <c>coalesce</c>, <c>if</c>/<c>iif</c>, <c>safe_div</c>, <c>least</c>/<c>greatest</c>,
/// <c>abs</c>, <c>sqrt</c>, <c>ln</c>, <c>log10</c>, <c>exp</c>, <c>floor</c>, <c>ceil</c>, <c>round</c> (half to even),
/// <c>is_nan</c>, <c>pow</c>/<c>power</c>. Each is chosen once per column and runs as kernels.
/// </summary>
public static class ValueFunctions
{
    /// <summary>Throws when <paramref name="name"/> (lower case) is unknown or called with the wrong number of arguments.</summary>
    /// <exception cref="ExpressionException">The function is unknown, or the argument count is wrong.</exception>
    public static void CheckArity(string name, int count)
    {
        (int min, int max) = name switch
        {
            "coalesce" => (1, int.MaxValue),
            "least" or "greatest" => (1, int.MaxValue),
            "if" or "iif" => (3, 3),
            "safe_div" => (2, 3),
            "abs" or "sqrt" or "ln" or "log10" or "exp" or "floor" or "ceil" or "round" or "is_nan" => (1, 1),
            "pow" or "power" => (2, 2),
            _ => throw new ExpressionException($"unknown function '{name}'"),
        };
        if (count < min || count > max)
        {
            throw new ExpressionException($"function '{name}' takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min}+")} argument(s), got {count}");
        }
    }

    internal static ValueVector Call(CallExpr call, Func<string, ValueVector?> resolve, int n)
    {
        var args = new ValueVector[call.Args.Count];
        for (int i = 0; i < args.Length; i++) { args[i] = ValueEvaluator.Evaluate(call.Args[i], resolve, n); }
        switch (call.Name)
        {
            case "coalesce":
                {
                    // The first valid argument wins: merge from the last back, each taking the rows where it is valid.
                    var unified = ValueSelection.Unify(call.Args, args, "coalesce");
                    var result = unified[^1];
                    for (int c = unified.Length - 2; c >= 0; c--)
                    {
                        if (unified[c].Valid is null) { result = unified[c]; continue; }
                        result = ValueSelection.Select(unified[c].Valid!, unified[c], result);
                    }
                    return result;
                }
            case "if":
            case "iif":
                {
                    ValueEvaluator.RequireBool(args[0], call.Name);
                    var unified = ValueSelection.Unify([call.Args[1], call.Args[2]], [args[1], args[2]], call.Name);
                    return ValueSelection.Select(ValueSelection.TrueRows(args[0]), unified[0], unified[1]);
                }
            case "safe_div":
                {
                    var q = ValueArithmetic.Binary("/", args[0], args[1]);
                    if (args.Length == 2) { return q; }
                    // safe_div(a, b, fallback): the fallback where the quotient is null.
                    var unified = ValueSelection.Unify([call.Args[0], call.Args[2]], [q, args[2]], "safe_div");
                    return unified[0].Valid is null ? unified[0] : ValueSelection.Select(unified[0].Valid!, unified[0], unified[1]);
                }
            case "least":
            case "greatest":
                return Extreme(call.Name, ValueSelection.Unify(call.Args, args, call.Name));
            case "abs":
                if (args[0].Kind == ValueKind.Int64)
                {
                    var r = new long[n];
                    UnaryDriver.Invoke<long, long, Int64AbsOperator>(ValueColumns.Longs(args[0]), r);
                    return ValueVector.FromLongs(ValueKind.Int64, r, args[0].Valid, n);
                }
                return MathUnary(call.Name, args[0]);
            case "is_nan":
                {
                    RequireNumeric(call.Name, args[0]);
                    var bits = new ulong[Bitmap.WordCount(n)];
                    if (args[0].Doubles is not null)
                    {
                        // NaN is the one value unequal to itself.
                        var x = args[0].Doubles.AsSpan(0, n);
                        Floe.Kernels.Drivers.ComparisonDriver.ToBitmap<double, Floe.Kernels.Comparison.NotEqualOperator<double>>(x, x, bits);
                    }
                    return ValueVector.FromBits(bits, args[0].Valid, n);
                }
            case "pow":
            case "power":
                {
                    RequireNumeric(call.Name, args[0]);
                    RequireNumeric(call.Name, args[1]);
                    var x = ValueColumns.Doubles(args[0]);
                    var y = ValueColumns.Doubles(args[1]);
                    var r = new double[n];
                    // Math.Pow, not a vector approximation, so values stay exactly what they were.
                    for (int i = 0; i < n; i++) { r[i] = Math.Pow(x[i], y[i]); }
                    return ValueVector.FromDoubles(r, ValueColumns.AndValid(args[0], args[1]), n);
                }
            default:
                return MathUnary(call.Name, args[0]);
        }
    }

    // least/greatest over valid arguments only: the first valid value stands until a later one is strictly beyond it
    // (the min/max kernels' rule), so NaN and ties keep the earlier value; a row with no valid argument is null.
    private static ValueVector Extreme(string name, ValueVector[] unified)
    {
        var first = unified[0];
        if (!first.IsNumeric) { throw new ExpressionException($"'{name}' needs numeric arguments"); }
        int n = first.Length;
        bool greatest = name == "greatest";
        bool isDouble = first.Kind == ValueKind.Float64;
        var doubles = isDouble ? first.Doubles.AsSpan(0, n).ToArray() : null;
        var longs = isDouble ? null : ValueColumns.Longs(first).ToArray();
        var valid = ValueColumns.ValidCopy(first);
        var beyond = isDouble ? new double[n] : null;
        var beyondLongs = isDouble ? null : new long[n];
        for (int c = 1; c < unified.Length; c++)
        {
            var next = unified[c];
            var nextValid = ValueColumns.ValidOrAll(next);
            // Where both are valid take the kernel's pick, where only the next is valid take it, else keep.
            if (isDouble)
            {
                var y = next.Doubles.AsSpan(0, n);
                if (greatest) { BinaryDriver.Invoke<double, MaxOperator<double>>(doubles, y, beyond); }
                else { BinaryDriver.Invoke<double, MinOperator<double>>(doubles, y, beyond); }
                BitmapSelect.Select<double>(nextValid, beyond, doubles, beyond);
                BitmapSelect.Select<double>(valid, beyond, y, doubles);
            }
            else
            {
                var y = ValueColumns.Longs(next);
                if (greatest) { BinaryDriver.Invoke<long, MaxOperator<long>>(longs, y, beyondLongs); }
                else { BinaryDriver.Invoke<long, MinOperator<long>>(longs, y, beyondLongs); }
                BitmapSelect.Select<long>(nextValid, beyondLongs, longs, beyondLongs);
                BitmapSelect.Select<long>(valid, beyondLongs, y, longs);
            }
            Bitmap.Or(valid, nextValid.AsSpan(0, valid.Length), valid);
        }
        return isDouble ? ValueVector.FromDoubles(doubles!, valid, n) : ValueVector.FromLongs(first.Kind, longs!, valid, n);
    }

    private static void RequireNumeric(string fn, ValueVector v)
    {
        if (!v.IsNumeric)
        {
            throw new ExpressionException($"'{fn}' needs a numeric argument, got {ValueColumns.KindName(v.Kind)}");
        }
    }

    // The exactly rounded functions run as kernels; the transcendental ones as Math's, so values stay what they were.
    private static ValueVector MathUnary(string fn, ValueVector v)
    {
        RequireNumeric(fn, v);
        int n = v.Length;
        var x = ValueColumns.Doubles(v);
        var r = new double[n];
        switch (fn)
        {
            case "abs": UnaryDriver.Invoke<double, double, AbsOperator>(x, r); break;
            case "sqrt": TensorPrimitives.Sqrt(x, r); break;
            case "ln": for (int i = 0; i < n; i++) { r[i] = Math.Log(x[i]); } break;
            case "log10": for (int i = 0; i < n; i++) { r[i] = Math.Log10(x[i]); } break;
            case "exp": for (int i = 0; i < n; i++) { r[i] = Math.Exp(x[i]); } break;
            case "floor": TensorPrimitives.Floor(x, r); break;
            case "ceil": TensorPrimitives.Ceiling(x, r); break;
            default: TensorPrimitives.Round(x, MidpointRounding.ToEven, r); break;
        }
        return ValueVector.FromDoubles(r, v.Valid, n);
    }
}
