using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// Evaluates any <see cref="Expr"/> of the expression language a whole column at a time into a
/// <see cref="ValueVector"/>: each operator is chosen once per column and runs as Floe.Kernels calls (arithmetic,
/// comparisons, casts, selects, Kleene logic), never as a per-row switch. Null semantics follow SQL: operators and
/// functions give null when an input is null (except <c>is null</c>, <c>coalesce</c>, and <c>and</c>/<c>or</c> under
/// three-valued logic); <c>/</c> and <c>%</c> give null for a zero divisor; integer arithmetic wraps; doubles follow
/// IEEE (NaN compares unequal to everything); strings order by code point (UTF-8 byte order). Type errors throw
/// <see cref="ExpressionException"/>; zero-length columns type-check an expression without data.
/// </summary>
public static class ValueEvaluator
{
    /// <summary>Evaluates <paramref name="e"/> over <paramref name="length"/> rows, resolving columns through <paramref name="resolve"/>.</summary>
    /// <exception cref="ExpressionException">A column is unknown, or the operand types do not fit an operator.</exception>
    public static ValueVector Evaluate(Expr e, Func<string, ValueVector?> resolve, int length)
    {
        switch (e)
        {
            case LiteralExpr lit:
                return ValueColumns.Constant(lit.Value, length);
            case ColumnExpr col:
                return resolve(col.Name) ?? throw new ExpressionException($"unknown column '{col.Name}'");
            case UnaryExpr { Op: "not" } u:
                return Not(Evaluate(u.Operand, resolve, length));
            case UnaryExpr u:
                return ValueArithmetic.Negate(Evaluate(u.Operand, resolve, length));
            case BinaryExpr { Op: "and" or "or" } b:
                return Logical(b.Op == "and", Evaluate(b.Left, resolve, length), Evaluate(b.Right, resolve, length));
            case BinaryExpr { Op: "=" or "!=" or "<" or "<=" or ">" or ">=" } b:
                {
                    // A literal side stays one value: the kernel compares the column against it, no filled column.
                    if (b.Right is LiteralExpr { Value: string rightText }) { return ValueComparison.CompareString(b.Op, Evaluate(b.Left, resolve, length), rightText, literalLeft: false); }
                    if (b.Left is LiteralExpr { Value: string leftText }) { return ValueComparison.CompareString(b.Op, Evaluate(b.Right, resolve, length), leftText, literalLeft: true); }
                    if (ScalarOf(b.Right) is { } right) { return ValueComparison.CompareLiteral(b.Op, Evaluate(b.Left, resolve, length), right, literalLeft: false); }
                    if (ScalarOf(b.Left) is { } left) { return ValueComparison.CompareLiteral(b.Op, Evaluate(b.Right, resolve, length), left, literalLeft: true); }
                    return ValueComparison.Compare(b.Op, Evaluate(b.Left, resolve, length), Evaluate(b.Right, resolve, length));
                }
            case BinaryExpr { Op: "+" or "-" or "*" } b when ScalarOf(b.Right) is { } right:
                return ValueArithmetic.BinaryLiteral(b.Op, Evaluate(b.Left, resolve, length), right);
            case BinaryExpr b:
                return ValueArithmetic.Binary(b.Op, Evaluate(b.Left, resolve, length), Evaluate(b.Right, resolve, length));
            case IsNullExpr isNull:
                {
                    var v = Evaluate(isNull.Operand, resolve, length);
                    // "is not null" is the validity bitmap itself; "is null" its complement.
                    var values = new ulong[Bitmap.WordCount(length)];
                    if (v.Valid is null) { if (isNull.Negated) { values = Bitmap.AllSet(length); } }
                    else if (isNull.Negated) { v.Valid.AsSpan(0, values.Length).CopyTo(values); Bitmap.ClearTail(values, length); }
                    else { Bitmap.Not(v.Valid, values, length); }
                    return ValueVector.FromBits(values, null, length);
                }
            case InExpr inList:
                {
                    // SQL: x in (a, b) is x = a or x = b under three-valued logic; not in negates that.
                    var operand = Evaluate(inList.Operand, resolve, length);
                    ValueVector? any = null;
                    foreach (var value in inList.Values)
                    {
                        var equal = value is LiteralExpr { Value: string text }
                            ? ValueComparison.CompareString("=", operand, text, literalLeft: false)
                            : ScalarOf(value) is { } literal
                            ? ValueComparison.CompareLiteral("=", operand, literal, literalLeft: false)
                            : ValueComparison.Compare("=", operand, Evaluate(value, resolve, length));
                        any = any is null ? equal : Logical(false, any, equal);
                    }
                    return inList.Negated ? Not(any!) : any!;
                }
            case CastExpr cast:
                return ValueCasts.Cast(Evaluate(cast.Operand, resolve, length), cast.Target, cast.Operand is LiteralExpr { Value: null });
            case CaseExpr ce:
                return ValueSelection.Case(ce, resolve, length);
            case CallExpr call:
                return ValueFunctions.Call(call, resolve, length);
            default:
                throw new ExpressionException("unsupported expression");
        }
    }

    // A numeric literal (a leading minus folded in), so a comparison with it runs against one value, not a filled column.
    private static object? ScalarOf(Expr e) => e switch
    {
        LiteralExpr { Value: long or double } l => l.Value,
        UnaryExpr { Op: "-", Operand: LiteralExpr { Value: long l } } => unchecked(-l),
        UnaryExpr { Op: "-", Operand: LiteralExpr { Value: double d } } => -d,
        _ => null,
    };

    internal static void RequireBool(ValueVector v, string op)
    {
        if (v.Kind != ValueKind.Bool)
        {
            throw new ExpressionException($"'{op}' needs boolean operands, got {ValueColumns.KindName(v.Kind)}");
        }
    }

    private static ValueVector Not(ValueVector v)
    {
        RequireBool(v, "not");
        int n = v.Length;
        var r = new ulong[Bitmap.WordCount(n)];
        Bitmap.Not(v.Bits!, r, n);
        if (v.Valid is not null) { Bitmap.And(r, v.Valid.AsSpan(0, r.Length), r); }
        return ValueVector.FromBits(r, v.Valid, n);
    }

    // Kleene logic word by word: 64 rows per step, validity and values as two bitmaps.
    private static ValueVector Logical(bool isAnd, ValueVector a, ValueVector b)
    {
        RequireBool(a, isAnd ? "and" : "or");
        RequireBool(b, isAnd ? "and" : "or");
        int n = a.Length;
        int words = Bitmap.WordCount(n);
        var values = new ulong[words];
        var valid = new ulong[words];
        ReadOnlySpan<ulong> va = a.Valid is null ? [] : a.Valid.AsSpan(0, words);
        ReadOnlySpan<ulong> vb = b.Valid is null ? [] : b.Valid.AsSpan(0, words);
        if (isAnd) { Kleene.And(a.Bits.AsSpan(0, words), va, b.Bits.AsSpan(0, words), vb, values, valid, n); }
        else { Kleene.Or(a.Bits.AsSpan(0, words), va, b.Bits.AsSpan(0, words), vb, values, valid, n); }
        return ValueVector.FromBits(values, a.Valid is null && b.Valid is null ? null : valid, n);
    }
}
