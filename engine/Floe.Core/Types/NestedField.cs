using System.Text.Json.Nodes;

namespace Floe.Core.Types;

/// <summary>
/// A field of a struct (or a schema). <paramref name="InitialDefault"/> and <paramref name="WriteDefault"/> are the
/// JSON single-value forms from the spec (v3; PyIceberg also writes them in v2).
/// </summary>
public sealed record NestedField(
    int Id,
    string Name,
    bool Required,
    IcebergType Type,
    string? Doc = null,
    JsonNode? InitialDefault = null,
    JsonNode? WriteDefault = null)
{
    /// <summary>Equality ignores the JSON default nodes' identity and compares their text.</summary>
    public bool Equals(NestedField? other) =>
        other is not null && Id == other.Id && Name == other.Name && Required == other.Required &&
        Type.Equals(other.Type) && Doc == other.Doc &&
        InitialDefault?.ToJsonString() == other.InitialDefault?.ToJsonString() &&
        WriteDefault?.ToJsonString() == other.WriteDefault?.ToJsonString();

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, Required);
}
