using Apache.Arrow;
using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// Evaluates a boolean <see cref="Expr"/> of the expression language over Arrow arrays, a whole column at a time, into
/// value and validity bitmaps: column references (boolean columns), boolean and null literals, comparisons of a column
/// with a literal (either side), <c>in</c>/<c>not in</c> lists of literals, <c>is [not] null</c>, and <c>and</c>,
/// <c>or</c>, <c>not</c> under SQL's three-valued (Kleene) logic, word by word. Comparisons follow IEEE for NaN (only
/// <c>!=</c> is true), as the feature engine does. Any other boolean expression (arithmetic, <c>case</c>, <c>cast</c>,
/// functions, comparisons of two computed values) runs on <see cref="ValueEvaluator"/>, the same code feature
/// expressions run on, over the columns it names converted by <see cref="ArrowValues"/>.
/// </summary>
public static class ArrowExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="e"/> over <paramref name="length"/> rows, resolving columns through <paramref name="resolve"/>.</summary>
    /// <exception cref="ExpressionException">A column is unknown, the types do not fit, or the expression is not boolean.</exception>
    public static BooleanBits Evaluate(Expr e, Func<string, IArrowArray?> resolve, int length)
    {
        int words = Bitmap.WordCount(length);
        switch (e)
        {
            case LiteralExpr { Value: null }:
                return new BooleanBits(new ulong[words], new ulong[words], length);
            case LiteralExpr { Value: bool b }:
                return new BooleanBits(b ? Bitmap.AllSet(length) : new ulong[words], null, length);
            case ColumnExpr c:
                {
                    var array = Column(resolve, c.Name);
                    if (array is not BooleanArray flags) { throw new ExpressionException($"column '{c.Name}' is not boolean"); }
                    var values = new ulong[words];
                    for (int i = 0; i < length; i++) { if (flags.GetValue(i) == true) { values[i >> 6] |= 1UL << (i & 63); } }
                    return new BooleanBits(values, ArrowBitmaps.Validity(array), length);
                }
            case UnaryExpr { Op: "not" } u:
                {
                    var v = Evaluate(u.Operand, resolve, length);
                    var values = new ulong[words];
                    Bitmap.Not(v.Values, values, length);
                    if (v.Valid is not null) { Bitmap.And(values, v.Valid, values); }
                    return new BooleanBits(values, v.Valid, length);
                }
            case BinaryExpr { Op: "and" or "or" } b:
                {
                    var l = Evaluate(b.Left, resolve, length);
                    var r = Evaluate(b.Right, resolve, length);
                    var values = new ulong[words];
                    var valid = new ulong[words];
                    if (b.Op == "and") { Kleene.And(l.Values, l.Valid, r.Values, r.Valid, values, valid, length); }
                    else { Kleene.Or(l.Values, l.Valid, r.Values, r.Valid, values, valid, length); }
                    return new BooleanBits(values, l.Valid is null && r.Valid is null ? null : valid, length);
                }
            case BinaryExpr b when ComparisonOps.Parse(b.Op) is { } op:
                {
                    var (column, literal, flipped) = b.Left is ColumnExpr lc && Literal(b.Right) is { } rl ? (lc, rl, false)
                        : b.Right is ColumnExpr rc && Literal(b.Left) is { } ll ? (rc, ll, true)
                        : default;
                    if (column is null) { return Values(e, resolve, length); }
                    var array = Column(resolve, column.Name);
                    if (literal.Value is null) { return new BooleanBits(new ulong[words], new ulong[words], length); }
                    var values = new ulong[words];
                    var lit = Coerce(array, literal.Value);
                    if (!ArrowPredicates.TryCompare(array, flipped ? ComparisonOps.Flip(op) : op, lit, values, sqlNaN: false))
                    {
                        // A pair the Arrow kernels do not cover (an int32 column against a literal beyond int32, say).
                        return Values(e, resolve, length);
                    }
                    return new BooleanBits(values, ArrowBitmaps.Validity(array), length);
                }
            case IsNullExpr isNull:
                {
                    if (isNull.Operand is not ColumnExpr c) { return Values(e, resolve, length); }
                    var valid = ArrowBitmaps.Validity(Column(resolve, c.Name)) ?? Bitmap.AllSet(length);
                    var values = new ulong[words];
                    if (isNull.Negated) { valid.AsSpan().CopyTo(values); } else { Bitmap.Not(valid, values, length); }
                    return new BooleanBits(values, null, length);
                }
            case InExpr inList when inList.Operand is ColumnExpr c:
                {
                    var array = Column(resolve, c.Name);
                    var literals = new List<object>(inList.Values.Count);
                    bool anyNull = false;
                    foreach (var v in inList.Values)
                    {
                        if (Literal(v) is not { } lit) { return Values(e, resolve, length); }
                        if (lit.Value is null) { anyNull = true; } else { literals.Add(Coerce(array, lit.Value)); }
                    }
                    var values = new ulong[words];
                    if (!ArrowPredicates.TryIn(array, literals, negated: false, values, sqlNaN: false)) { return Values(e, resolve, length); }
                    // x in (..., null) is true where x matches, otherwise null; x not in (...) negates under Kleene logic.
                    var valid = ArrowBitmaps.Validity(array) ?? Bitmap.AllSet(length);
                    if (anyNull) { valid = (ulong[])values.Clone(); }
                    if (inList.Negated)
                    {
                        Bitmap.Not(values, values, length);
                        Bitmap.And(values, valid, values);
                    }
                    return new BooleanBits(values, valid, length);
                }
            default:
                return Values(e, resolve, length);
        }
    }

    // The general case: the value evaluator over the named columns, which must come out boolean.
    private static BooleanBits Values(Expr e, Func<string, IArrowArray?> resolve, int length)
    {
        var v = ValueEvaluator.Evaluate(e, name => ArrowValues.ToVector(Column(resolve, name)), length);
        if (v.Kind != ValueKind.Bool) { throw new ExpressionException($"the expression gives {v.Kind.ToString().ToLowerInvariant()} values, not booleans"); }
        var values = ValueSelection.TrueRows(v);
        return new BooleanBits(values, v.Valid?.AsSpan(0, values.Length).ToArray(), length);
    }

    // A literal, with a leading minus folded in (the parser reads "-1" as negation of 1).
    private static LiteralExpr? Literal(Expr e) => e switch
    {
        LiteralExpr l => l,
        UnaryExpr { Op: "-", Operand: LiteralExpr { Value: long l } } => new LiteralExpr(-l),
        UnaryExpr { Op: "-", Operand: LiteralExpr { Value: double d } } => new LiteralExpr(-d),
        _ => null,
    };

    private static IArrowArray Column(Func<string, IArrowArray?> resolve, string name) =>
        resolve(name) ?? throw new ExpressionException($"unknown column '{name}'");

    // The parser gives longs and doubles; narrow to the column's own integer width where the value fits.
    private static object Coerce(IArrowArray array, object literal) => (array, literal) switch
    {
        (Int32Array or Date32Array, long l) when l is >= int.MinValue and <= int.MaxValue => (int)l,
        (FloatArray, double d) when (float)d == d => (float)d,
        (FloatArray, long l) when (long)(float)l == l => (float)l,
        _ => literal,
    };
}
