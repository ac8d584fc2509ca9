using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary><c>set-properties</c>: sets (adds or replaces) table properties.</summary>
public sealed record SetProperties(IReadOnlyDictionary<string, string> Updates) : TableUpdate
{
    /// <inheritdoc />
    public override string Action => "set-properties";

    /// <inheritdoc />
    public override TableMetadata Apply(TableMetadata metadata, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var properties = new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal);
        foreach (var (key, value) in Updates) properties[key] = value;
        return metadata with { Properties = properties, LastUpdatedMs = nowMs };
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion)
    {
        writer.WriteStartObject("updates");
        foreach (var (key, value) in Updates) writer.WriteString(key, value);
        writer.WriteEndObject();
    }
}
