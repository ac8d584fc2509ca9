namespace Floe.Features.Expressions;

/// <summary>An arithmetic, comparison or boolean operator; <see cref="Op"/> is canonical (<c>=</c>, <c>!=</c>, <c>and</c>, ...).</summary>
internal sealed record BinaryExpr(string Op, Expr Left, Expr Right) : Expr;
