namespace Floe.Core.Expressions;

/// <summary><c>cast(x as type)</c> to <see cref="Target"/>.</summary>
/// <param name="Operand">The value converted.</param>
/// <param name="Target">The type converted to.</param>
public sealed record CastExpr(Expr Operand, ValueKind Target) : Expr;
