namespace Floe.Core.Expressions;

/// <summary>
/// A parsed expression of Floe's one expression language (<see cref="ExpressionSyntax"/>): the syntax tree that table
/// filters bind to Iceberg predicates and feature definitions evaluate over columns.
/// </summary>
public abstract record Expr;
