using System.Numerics;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// The six comparisons, said once for every evaluator: the spelling, the mirror image (<c>1 &lt; x</c> is
/// <c>x &gt; 1</c>), an order's verdict, and the one kernel call per column that runs each.
/// </summary>
internal static class ComparisonOps
{
    /// <summary>The comparison <paramref name="op"/> spells, or null for any other operator.</summary>
    public static ComparisonOp? Parse(string op) => op switch
    {
        "=" => ComparisonOp.Eq,
        "!=" => ComparisonOp.NotEq,
        "<" => ComparisonOp.Lt,
        "<=" => ComparisonOp.LtEq,
        ">" => ComparisonOp.Gt,
        ">=" => ComparisonOp.GtEq,
        _ => null,
    };

    /// <summary>The comparison with its sides swapped.</summary>
    public static ComparisonOp Flip(ComparisonOp op) => op switch
    {
        ComparisonOp.Lt => ComparisonOp.Gt,
        ComparisonOp.LtEq => ComparisonOp.GtEq,
        ComparisonOp.Gt => ComparisonOp.Lt,
        ComparisonOp.GtEq => ComparisonOp.LtEq,
        _ => op,
    };

    /// <summary>Whether <paramref name="op"/> holds for an order result (negative, zero, positive).</summary>
    public static bool Holds(ComparisonOp op, int order) => op switch
    {
        ComparisonOp.Eq => order == 0,
        ComparisonOp.NotEq => order != 0,
        ComparisonOp.Lt => order < 0,
        ComparisonOp.LtEq => order <= 0,
        ComparisonOp.Gt => order > 0,
        _ => order >= 0,
    };

    /// <summary><c>x[i] op y</c> into <paramref name="bits"/>, IEEE for NaN; the operator is chosen once per column.</summary>
    public static void ToBitmap<T>(ComparisonOp op, ReadOnlySpan<T> x, T y, Span<ulong> bits)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case ComparisonOp.Eq: ComparisonDriver.ToBitmap<T, EqualOperator<T>>(x, y, bits); break;
            case ComparisonOp.NotEq: ComparisonDriver.ToBitmap<T, NotEqualOperator<T>>(x, y, bits); break;
            case ComparisonOp.Lt: ComparisonDriver.ToBitmap<T, LessThanOperator<T>>(x, y, bits); break;
            case ComparisonOp.LtEq: ComparisonDriver.ToBitmap<T, LessThanOrEqualOperator<T>>(x, y, bits); break;
            case ComparisonOp.Gt: ComparisonDriver.ToBitmap<T, GreaterThanOperator<T>>(x, y, bits); break;
            default: ComparisonDriver.ToBitmap<T, GreaterThanOrEqualOperator<T>>(x, y, bits); break;
        }
    }

    /// <summary><c>x[i] op y[i]</c> into <paramref name="bits"/>, IEEE for NaN.</summary>
    public static void ToBitmap<T>(ComparisonOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<ulong> bits)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case ComparisonOp.Eq: ComparisonDriver.ToBitmap<T, EqualOperator<T>>(x, y, bits); break;
            case ComparisonOp.NotEq: ComparisonDriver.ToBitmap<T, NotEqualOperator<T>>(x, y, bits); break;
            case ComparisonOp.Lt: ComparisonDriver.ToBitmap<T, LessThanOperator<T>>(x, y, bits); break;
            case ComparisonOp.LtEq: ComparisonDriver.ToBitmap<T, LessThanOrEqualOperator<T>>(x, y, bits); break;
            case ComparisonOp.Gt: ComparisonDriver.ToBitmap<T, GreaterThanOperator<T>>(x, y, bits); break;
            default: ComparisonDriver.ToBitmap<T, GreaterThanOrEqualOperator<T>>(x, y, bits); break;
        }
    }
}
