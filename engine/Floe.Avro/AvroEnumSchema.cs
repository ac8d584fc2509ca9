namespace Floe.Avro;

/// <summary>An Avro enum; values are encoded as the symbol's index.</summary>
public sealed class AvroEnumSchema : AvroNamedSchema
{
    /// <summary>Creates an enum type.</summary>
    public AvroEnumSchema(string name, string? ns, IReadOnlyList<string> symbols)
        : base(AvroType.Enum, name, ns)
    {
        Symbols = symbols;
    }

    /// <summary>The symbols in index order.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The <c>default</c> symbol, or null.</summary>
    public string? Default { get; init; }
}
