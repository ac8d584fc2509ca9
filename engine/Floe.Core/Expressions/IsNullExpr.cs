namespace Floe.Core.Expressions;

/// <summary><c>x is null</c> or, with <see cref="Negated"/>, <c>x is not null</c>.</summary>
/// <param name="Operand">The value tested.</param>
/// <param name="Negated">True for <c>is not null</c>.</param>
public sealed record IsNullExpr(Expr Operand, bool Negated) : Expr;
