using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Expressions;

/// <summary>
/// Binds feature expressions to the shared evaluator (<see cref="ValueEvaluator"/> in Floe.Core, the one expression
/// evaluator of the engine): engine columns are the evaluator's own <see cref="ValueVector"/>s, handed over as they
/// are. What the language means (SQL nulls, safe division, wrapping integers, IEEE doubles, code point string order)
/// is defined there; this class only resolves names and keeps list features out of expressions. Calling with
/// zero-length columns type-checks an expression without data.
/// </summary>
internal static class ExpressionEvaluator
{
    /// <summary>Evaluates <paramref name="e"/> over <paramref name="length"/> rows, resolving names through <paramref name="resolve"/>.</summary>
    /// <exception cref="ExpressionException">A name is unknown, a list feature is used inside an expression, or the types do not fit.</exception>
    public static ValueVector Evaluate(Expr e, Func<string, ValueVector?> resolve, int length)
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
            return c;
        }
        return ValueEvaluator.Evaluate(e, Resolve, length);
    }

    private static ExpressionException Unknown(string name) => new($"unknown column or feature '{name}'");
}
