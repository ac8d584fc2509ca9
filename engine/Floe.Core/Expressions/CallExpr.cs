namespace Floe.Core.Expressions;

/// <summary>A function call such as <c>coalesce(a, 0)</c>; <see cref="Name"/> is lower case.</summary>
/// <param name="Name">The function name, lower case.</param>
/// <param name="Args">The arguments.</param>
public sealed record CallExpr(string Name, IReadOnlyList<Expr> Args) : Expr;
