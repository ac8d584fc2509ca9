namespace Floe.Features.Expressions;

/// <summary>A parsed row expression (syntax tree); evaluated column-at-a-time by <see cref="ExpressionEvaluator"/>.</summary>
internal abstract record Expr;
