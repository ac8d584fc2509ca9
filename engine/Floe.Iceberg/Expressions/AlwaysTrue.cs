namespace Floe.Iceberg.Expressions;

/// <summary>The constant true (selects every row).</summary>
public sealed record AlwaysTrue : Expression
{
    private AlwaysTrue()
    {
    }

    /// <summary>The single instance.</summary>
    public static AlwaysTrue Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "true";
}
