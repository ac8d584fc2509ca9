namespace Floe.Features.Expressions;

/// <summary>A constant: long, double, bool, string, or null (<see cref="Value"/> null).</summary>
internal sealed record LiteralExpr(object? Value) : Expr;
