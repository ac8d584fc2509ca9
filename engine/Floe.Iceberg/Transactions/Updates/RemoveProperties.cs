using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary><c>remove-properties</c>: removes table properties; absent keys are ignored.</summary>
public sealed record RemoveProperties(IReadOnlyList<string> Removals) : TableUpdate
{
    /// <inheritdoc />
    public override string Action => "remove-properties";

    /// <inheritdoc />
    public override TableMetadata Apply(TableMetadata metadata, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var properties = new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal);
        foreach (var key in Removals) properties.Remove(key);
        return metadata with { Properties = properties, LastUpdatedMs = nowMs };
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion)
    {
        writer.WriteStartArray("removals");
        foreach (var key in Removals) writer.WriteStringValue(key);
        writer.WriteEndArray();
    }
}
