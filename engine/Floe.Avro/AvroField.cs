using System.Text.Json.Nodes;

namespace Floe.Avro;

/// <summary>
/// A record field. Iceberg's <c>field-id</c> is typed (<see cref="FieldId"/>); other attributes are preserved in
/// <see cref="Properties"/>. A field has a default exactly when <see cref="HasDefault"/> is true (the default itself
/// may be JSON null).
/// </summary>
public sealed class AvroField
{
    /// <summary>Creates a field.</summary>
    public AvroField(string name, AvroSchema schema, int? fieldId = null)
    {
        Name = name;
        Schema = schema;
        FieldId = fieldId;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The field's type.</summary>
    public AvroSchema Schema { get; }

    /// <summary>Iceberg's <c>field-id</c> attribute, or null.</summary>
    public int? FieldId { get; init; }

    /// <summary>The <c>doc</c> attribute, or null.</summary>
    public string? Doc { get; init; }

    /// <summary>True when the field declares a <c>default</c>.</summary>
    public bool HasDefault { get; init; }

    /// <summary>The default value (JSON), meaningful only when <see cref="HasDefault"/>.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>The <c>aliases</c> attribute, or null.</summary>
    public IReadOnlyList<string>? Aliases { get; init; }

    /// <summary>Other attributes, in their JSON order.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Properties { get; init; }

    /// <summary>A field that is <c>["null", T]</c> with default null (Iceberg's optional field).</summary>
    public static AvroField Optional(string name, AvroSchema schema, int? fieldId, string? doc = null) =>
        new(name, AvroUnionSchema.Nullable(schema), fieldId) { HasDefault = true, Default = null, Doc = doc };

    /// <summary>A required field.</summary>
    public static AvroField Required(string name, AvroSchema schema, int? fieldId, string? doc = null) =>
        new(name, schema, fieldId) { Doc = doc };
}
