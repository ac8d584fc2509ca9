namespace Floe.Core.Expressions;

/// <summary><c>case when c1 then v1 ... [else e] end</c>; a missing else gives null.</summary>
/// <param name="Branches">The <c>when</c> conditions and their values, in order.</param>
/// <param name="Else">The value when no branch matches; null gives null.</param>
public sealed record CaseExpr(IReadOnlyList<(Expr When, Expr Then)> Branches, Expr? Else) : Expr;
