namespace Floe.Avro;

/// <summary>
/// An Avro array. Iceberg's <c>element-id</c> is typed; an Iceberg map with non-string keys is an array of
/// two-field key/value records annotated <c>"logicalType": "map"</c>.
/// </summary>
public sealed class AvroArraySchema : AvroSchema
{
    /// <summary>Creates an array of <paramref name="items"/>.</summary>
    public AvroArraySchema(AvroSchema items, int? elementId = null)
        : base(AvroType.Array)
    {
        Items = items;
        ElementId = elementId;
    }

    /// <summary>The item type.</summary>
    public AvroSchema Items { get; }

    /// <summary>Iceberg's <c>element-id</c>, or null.</summary>
    public int? ElementId { get; }

    /// <summary>An Iceberg map stored as an array of key/value records (<c>logicalType</c> map).</summary>
    public static AvroArraySchema KeyValueMap(int keyId, AvroSchema key, int valueId, AvroSchema value, bool valueOptional = false)
    {
        var record = new AvroRecordSchema(
            $"k{keyId}_v{valueId}",
            null,
            new[]
            {
                AvroField.Required("key", key, keyId),
                valueOptional ? AvroField.Optional("value", value, valueId) : AvroField.Required("value", value, valueId),
            });
        return new AvroArraySchema(record) { LogicalType = "map" };
    }
}
