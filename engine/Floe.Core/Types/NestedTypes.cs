namespace Floe.Core.Types;

/// <summary>A struct: an ordered list of fields, each with a unique id.</summary>
public sealed record StructType(IReadOnlyList<NestedField> Fields) : IcebergType
{
    /// <inheritdoc />
    public override bool IsPrimitive => false;

    /// <summary>Structural equality over the fields.</summary>
    public bool Equals(StructType? other) => other is not null && Fields.SequenceEqual(other.Fields);

    /// <inheritdoc />
    public override int GetHashCode() => Fields.Count;

    /// <summary>Readable form, e.g. <c>struct&lt;partition: int not null, key: binary&gt;</c>.</summary>
    public override string ToString() =>
        "struct<" + string.Join(", ", Fields.Select(f => f.Name + ": " + f.Type + (f.Required ? " not null" : ""))) + ">";
}

/// <summary>A list whose elements carry their own field id.</summary>
public sealed record ListType(int ElementId, bool ElementRequired, IcebergType ElementType) : IcebergType
{
    /// <inheritdoc />
    public override bool IsPrimitive => false;

    /// <summary>Readable form, e.g. <c>list&lt;string&gt;</c>.</summary>
    public override string ToString() => "list<" + ElementType + (ElementRequired ? " not null" : "") + ">";
}

/// <summary>A map whose keys and values carry their own field ids.</summary>
public sealed record MapType(int KeyId, IcebergType KeyType, int ValueId, bool ValueRequired, IcebergType ValueType) : IcebergType
{
    /// <inheritdoc />
    public override bool IsPrimitive => false;

    /// <summary>Readable form, e.g. <c>map&lt;string, string&gt;</c>.</summary>
    public override string ToString() => "map<" + KeyType + ", " + ValueType + (ValueRequired ? " not null" : "") + ">";
}
