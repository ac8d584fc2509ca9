using System.Text.Json.Nodes;

namespace Floe.Avro;

/// <summary>
/// An Avro schema node. Logical types are kept as annotations (<see cref="LogicalType"/>) over the physical
/// <see cref="Type"/>; attributes this model does not name (<c>precision</c>, <c>adjust-to-utc</c>, ...) are
/// preserved in <see cref="Properties"/> so schemas round-trip through JSON unchanged.
/// </summary>
public abstract class AvroSchema
{
    /// <summary>Creates a node of the given physical type.</summary>
    protected AvroSchema(AvroType type) => Type = type;

    /// <summary>The physical type (what decides the encoding).</summary>
    public AvroType Type { get; }

    /// <summary>The <c>logicalType</c> annotation, or null.</summary>
    public string? LogicalType { get; init; }

    /// <summary>Other attributes of the schema object, in their JSON order (never <c>type</c>, <c>name</c>, ...).</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Properties { get; init; }

    /// <summary>True for the <c>null</c> type.</summary>
    public bool IsNull => Type == AvroType.Null;

    /// <summary>An integer attribute from <see cref="Properties"/>, or null when absent or not an integer.</summary>
    public int? GetIntProperty(string name)
    {
        if (Properties is null || !Properties.TryGetValue(name, out var node) || node is not JsonValue value) return null;
        return value.TryGetValue<int>(out var i) ? i : null;
    }

    /// <summary>A boolean attribute from <see cref="Properties"/>, or null when absent or not a boolean.</summary>
    public bool? GetBoolProperty(string name)
    {
        if (Properties is null || !Properties.TryGetValue(name, out var node) || node is not JsonValue value) return null;
        return value.TryGetValue<bool>(out var b) ? b : null;
    }

    /// <summary>The schema in Avro's JSON form.</summary>
    public override string ToString() => AvroSchemaWriter.ToJson(this);
}
