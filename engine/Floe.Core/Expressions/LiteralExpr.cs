namespace Floe.Core.Expressions;

/// <summary>A constant: long, double, bool, string, or null (<see cref="Value"/> null).</summary>
/// <param name="Value">The parsed value.</param>
/// <param name="Text">
/// The literal as written (digits of a number, contents of a string), so a binder can convert it exactly to a column's
/// type (a decimal, a date, a timestamp); null when built in code.
/// </param>
/// <param name="Position">The 1-based character position in the source text, for messages; 0 when built in code.</param>
public sealed record LiteralExpr(object? Value, string? Text = null, int Position = 0) : Expr;
