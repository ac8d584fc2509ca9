namespace Floe.Core.Expressions;

/// <summary>An arithmetic, comparison or boolean operator; <see cref="Op"/> is canonical (<c>=</c>, <c>!=</c>, <c>and</c>, ...).</summary>
/// <param name="Op">The operator, canonical: <c>+ - * / %</c>, <c>= != &lt; &lt;= &gt; &gt;=</c>, <c>and</c>, <c>or</c>.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record BinaryExpr(string Op, Expr Left, Expr Right) : Expr;
