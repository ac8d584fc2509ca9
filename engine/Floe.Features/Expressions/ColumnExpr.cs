namespace Floe.Features.Expressions;

/// <summary>A reference to a source column or a feature by name.</summary>
internal sealed record ColumnExpr(string Name) : Expr;
