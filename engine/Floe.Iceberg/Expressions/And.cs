namespace Floe.Iceberg.Expressions;

/// <summary><c>left and right</c>.</summary>
public sealed record And(Expression Left, Expression Right) : Expression
{
    /// <inheritdoc />
    internal override int Depth { get; } = ExpressionDepth.Above(Left, Right);

    /// <inheritdoc />
    public override string ToString() => $"({Left} and {Right})";
}
