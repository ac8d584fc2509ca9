namespace Floe.Avro;

/// <summary>An Avro map (string keys). Iceberg's <c>key-id</c>/<c>value-id</c> are typed.</summary>
public sealed class AvroMapSchema : AvroSchema
{
    /// <summary>Creates a map of <paramref name="values"/>.</summary>
    public AvroMapSchema(AvroSchema values, int? keyId = null, int? valueId = null)
        : base(AvroType.Map)
    {
        Values = values;
        KeyId = keyId;
        ValueId = valueId;
    }

    /// <summary>The value type.</summary>
    public AvroSchema Values { get; }

    /// <summary>Iceberg's <c>key-id</c>, or null.</summary>
    public int? KeyId { get; }

    /// <summary>Iceberg's <c>value-id</c>, or null.</summary>
    public int? ValueId { get; }
}
