namespace Floe.Features.Expressions;

/// <summary><c>x is null</c> or, with <see cref="Negated"/>, <c>x is not null</c>.</summary>
internal sealed record IsNullExpr(Expr Operand, bool Negated) : Expr;
