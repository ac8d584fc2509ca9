namespace Floe.Avro;

/// <summary>A named Avro type (record, enum, fixed): the name may be referenced again later in the same schema.</summary>
public abstract class AvroNamedSchema : AvroSchema
{
    /// <summary>Creates a named node.</summary>
    protected AvroNamedSchema(AvroType type, string name, string? ns)
        : base(type)
    {
        Name = name;
        Namespace = string.IsNullOrEmpty(ns) ? null : ns;
    }

    /// <summary>The simple name.</summary>
    public string Name { get; }

    /// <summary>The namespace, or null.</summary>
    public string? Namespace { get; }

    /// <summary>The full name: <c>namespace.name</c>, or the name alone.</summary>
    public string FullName => Namespace is null ? Name : Namespace + "." + Name;

    /// <summary>The <c>doc</c> attribute, or null.</summary>
    public string? Doc { get; init; }

    /// <summary>The <c>aliases</c> attribute, or null.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }
}
