namespace Floe.Core.Expressions;

/// <summary><c>x in (v1, v2, ...)</c> or, with <see cref="Negated"/>, <c>x not in (...)</c>.</summary>
/// <param name="Operand">The value tested.</param>
/// <param name="Values">The list (at least one item).</param>
/// <param name="Negated">True for <c>not in</c>.</param>
public sealed record InExpr(Expr Operand, IReadOnlyList<Expr> Values, bool Negated) : Expr;
