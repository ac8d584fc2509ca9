namespace Floe.Features.Expressions;

/// <summary><c>cast(x as type)</c> to <see cref="Target"/>.</summary>
internal sealed record CastExpr(Expr Operand, ValueKind Target) : Expr;
