namespace Floe.Features.Expressions;

/// <summary>Negation (<c>-</c>) or logical not.</summary>
internal sealed record UnaryExpr(string Op, Expr Operand) : Expr;
