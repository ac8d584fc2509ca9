using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;

namespace Floe.Features.Expressions;

/// <summary>
/// Binds feature expressions to the shared evaluator (<see cref="ValueEvaluator"/> in Floe.Core, the one expression
/// evaluator of the engine): engine columns are handed over as value vectors without a copy (same arrays, same
/// bitmaps), and the result comes back the same way. What the language means (SQL nulls, safe division, wrapping
/// integers, IEEE doubles, code point string order) is defined there; this class only maps names and column shapes.
/// Calling with zero-length columns type-checks an expression without data.
/// </summary>
internal static class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="e"/> over <paramref name="length"/> rows, resolving names through <paramref name="resolve"/>.</summary>
    /// <exception cref="ExpressionException">A name is unknown, a list feature is used inside an expression, or the types do not fit.</exception>
    public static ColumnData Evaluate(Expr e, Func<string, ColumnData?> resolve, int length)
    {
        if (e is ColumnExpr column)
        {
            // A bare reference is the column itself (list columns included).
            return resolve(column.Name) ?? throw Unknown(column.Name);
        }
        ValueVector Resolve(string name)
        {
            var c = resolve(name) ?? throw Unknown(name);
            if (c.IsList) { throw new ExpressionException($"list feature '{name}' cannot be used inside an expression"); }
            return ToVector(c, length);
        }
        return ToColumn(ValueEvaluator.Evaluate(e, Resolve, length));
    }

    private static ExpressionException Unknown(string name) => new($"unknown column or feature '{name}'");

    private static ValueVector ToVector(ColumnData c, int length) => c.Kind switch
    {
        ValueKind.Float64 => ValueVector.FromDoubles(c.Doubles!, c.Valid, length),
        ValueKind.Bool => ValueVector.FromBits(c.Bits!, c.Valid, length),
        ValueKind.String => ValueVector.FromStrings(c.Strings!, length),
        _ => ValueVector.FromLongs(c.Kind, c.Longs!, c.Valid, length),
    };

    private static ColumnData ToColumn(ValueVector v) => v.Kind switch
    {
        ValueKind.Float64 => ColumnData.FromDoubles(v.Doubles!, v.Valid, v.Length),
        ValueKind.Bool => ColumnData.FromBits(v.Bits!, v.Valid, v.Length),
        ValueKind.String => ColumnData.FromStrings(v.Strings!, v.Length),
        _ => ColumnData.FromLongs(v.Kind, v.Longs!, v.Valid, v.Length),
    };
}
