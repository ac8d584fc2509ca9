namespace Floe.Core.Types;

/// <summary>An Iceberg type: a <see cref="PrimitiveType"/> or one of the nested types struct, list and map.</summary>
public abstract record IcebergType
{
    /// <summary>True for primitive (non-nested) types.</summary>
    public abstract bool IsPrimitive { get; }
}
