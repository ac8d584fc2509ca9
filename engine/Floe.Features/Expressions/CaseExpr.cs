namespace Floe.Features.Expressions;

/// <summary><c>case when c1 then v1 ... [else e] end</c>; a missing else gives null.</summary>
internal sealed record CaseExpr(IReadOnlyList<(Expr When, Expr Then)> Branches, Expr? Else) : Expr;
