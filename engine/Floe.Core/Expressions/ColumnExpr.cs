namespace Floe.Core.Expressions;

/// <summary>A reference to a column (or a feature) by name; dotted names reach into structs.</summary>
/// <param name="Name">The column name as written (quotes removed).</param>
/// <param name="Position">The 1-based character position in the source text, for messages; 0 when built in code.</param>
public sealed record ColumnExpr(string Name, int Position = 0) : Expr;
