namespace Floe.Avro;

/// <summary>An Avro fixed: exactly <see cref="Size"/> bytes (Iceberg uuid, fixed[L] and decimal).</summary>
public sealed class AvroFixedSchema : AvroNamedSchema
{
    /// <summary>Creates a fixed type.</summary>
    public AvroFixedSchema(string name, string? ns, int size)
        : base(AvroType.Fixed, name, ns)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, "fixed size must not be negative");
        Size = size;
    }

    /// <summary>The byte length.</summary>
    public int Size { get; }
}
