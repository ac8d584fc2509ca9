namespace Floe.Iceberg.Expressions;

/// <summary>The constant false (selects no row).</summary>
public sealed record AlwaysFalse : Expression
{
    private AlwaysFalse()
    {
    }

    /// <summary>The single instance.</summary>
    public static AlwaysFalse Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "false";
}
