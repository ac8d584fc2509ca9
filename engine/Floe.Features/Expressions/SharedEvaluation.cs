using Apache.Arrow;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;

namespace Floe.Features.Expressions;

/// <summary>
/// Binds the boolean part of the feature language to the shared Arrow evaluator
/// (<see cref="ArrowExpressionEvaluator"/>, the one table filters use): a predicate made of comparisons of a numeric,
/// timestamp or boolean column with a literal, <c>in</c> lists, <c>is null</c> and <c>and</c>/<c>or</c>/<c>not</c>
/// runs there over the engine's columns wrapped as Arrow arrays (no copy: values, bits and validity are shared).
/// Anything else stays with <see cref="ExpressionEvaluator"/>'s column kernels.
/// </summary>
internal static class SharedEvaluation
{
    /// <summary>The result of <paramref name="e"/> from the shared evaluator, or null when it is not covered.</summary>
    public static ColumnData? TryEvaluate(Expr e, Func<string, ColumnData?> resolve, int length)
    {
        if (!IsPredicate(e) || !Covered(e, resolve)) { return null; }
        var arrays = new Dictionary<string, IArrowArray>(StringComparer.Ordinal);
        IArrowArray? Resolve(string name)
        {
            if (arrays.TryGetValue(name, out var a)) { return a; }
            var column = resolve(name);
            if (column is null) { return null; }
            a = ArrowColumns.ToArray(column, 0, length);
            arrays[name] = a;
            return a;
        }
        var bits = ArrowExpressionEvaluator.Evaluate(e, Resolve, length);
        return ColumnData.FromBits(bits.Values, bits.Valid, length);
    }

    // Only boolean operators at the top: a bare column or literal is cheaper as it is.
    private static bool IsPredicate(Expr e) => e is BinaryExpr or UnaryExpr { Op: "not" } or IsNullExpr or InExpr;

    private static bool Covered(Expr e, Func<string, ColumnData?> resolve)
    {
        switch (e)
        {
            case LiteralExpr { Value: null or bool }:
                return true;
            case ColumnExpr c:
                return resolve(c.Name) is { Kind: ValueKind.Bool, IsList: false };
            case UnaryExpr { Op: "not" } u:
                return Covered(u.Operand, resolve);
            case BinaryExpr { Op: "and" or "or" } b:
                return Covered(b.Left, resolve) && Covered(b.Right, resolve);
            case BinaryExpr { Op: "=" or "!=" or "<" or "<=" or ">" or ">=" } b:
                return (b.Left is ColumnExpr l && Comparable(resolve(l.Name), b.Right))
                    || (b.Right is ColumnExpr r && Comparable(resolve(r.Name), b.Left));
            case IsNullExpr { Operand: ColumnExpr c }:
                return resolve(c.Name) is { IsList: false };
            case InExpr { Operand: ColumnExpr c } inList:
                {
                    var column = resolve(c.Name);
                    foreach (var v in inList.Values)
                    {
                        if (v is not LiteralExpr { Value: null } && !Comparable(column, v)) { return false; }
                    }
                    return true;
                }
            default:
                return false;
        }
    }

    // The pairs whose Arrow comparison is exactly the engine's: integer and timestamp columns with integer literals,
    // double columns with any number (strings stay out: the engine orders them by UTF-16 code units).
    private static bool Comparable(ColumnData? column, Expr literal)
    {
        if (column is null || column.IsList) { return false; }
        object? value = literal switch
        {
            LiteralExpr l => l.Value,
            UnaryExpr { Op: "-", Operand: LiteralExpr { Value: long or double } n } => n.Value,
            _ => literal,
        };
        return column.Kind switch
        {
            ValueKind.Int64 or ValueKind.Timestamp => value is long,
            ValueKind.Float64 => value is long or double,
            _ => false,
        };
    }
}
