namespace Floe.Iceberg.Expressions;

/// <summary><c>left or right</c>.</summary>
public sealed record Or(Expression Left, Expression Right) : Expression
{
    /// <inheritdoc />
    internal override int Depth { get; } = ExpressionDepth.Above(Left, Right);

    /// <inheritdoc />
    public override string ToString() => $"({Left} or {Right})";
}
