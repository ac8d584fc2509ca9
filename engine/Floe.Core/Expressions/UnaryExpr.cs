namespace Floe.Core.Expressions;

/// <summary>Negation (<c>-</c>) or logical not.</summary>
/// <param name="Op"><c>-</c> or <c>not</c>.</param>
/// <param name="Operand">The operand.</param>
public sealed record UnaryExpr(string Op, Expr Operand) : Expr;
