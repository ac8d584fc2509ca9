namespace Floe.Features.Expressions;

/// <summary>A function call such as <c>coalesce(a, 0)</c>; <see cref="Name"/> is lower case.</summary>
internal sealed record CallExpr(string Name, IReadOnlyList<Expr> Args) : Expr;
