namespace Floe.Iceberg.Expressions;

/// <summary><c>not child</c>.</summary>
public sealed record Not(Expression Child) : Expression
{
    /// <inheritdoc />
    internal override int Depth { get; } = ExpressionDepth.Above(Child);

    /// <inheritdoc />
    public override string ToString() => $"(not {Child})";
}
