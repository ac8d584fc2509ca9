using System.Text.Json;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// A commit as the Iceberg REST catalog's <c>CommitTableRequest</c> states it: the requirements the current metadata
/// must meet, and the updates to apply to it in order. Catalog-neutral: an embedded catalog checks and applies it
/// (<see cref="Apply"/>), a REST catalog would POST <see cref="WriteJson"/>.
/// </summary>
public sealed record TableCommit(IReadOnlyList<TableRequirement> Requirements, IReadOnlyList<TableUpdate> Updates)
{
    /// <summary>Whether the commit changes nothing.</summary>
    public bool IsEmpty => Updates.Count == 0;

    /// <summary>Checks every requirement against <paramref name="current"/> (CommitConflict when one fails) and applies the updates.</summary>
    public TableMetadata Apply(TableMetadata current, string table, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(current);
        foreach (var requirement in Requirements) requirement.Check(current, table);
        var metadata = current;
        foreach (var update in Updates) metadata = update.Apply(metadata, nowMs);
        return ReferenceEquals(metadata, current) ? current : metadata with { LastUpdatedMs = nowMs };
    }

    /// <summary>Writes the REST <c>CommitTableRequest</c> body for <paramref name="table"/>.</summary>
    public void WriteJson(Utf8JsonWriter writer, TableIdentifier table, int formatVersion)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        writer.WriteStartObject();
        writer.WriteStartObject("identifier");
        writer.WriteStartArray("namespace");
        foreach (var level in table.NamespaceLevels) writer.WriteStringValue(level);
        writer.WriteEndArray();
        writer.WriteString("name", table.Name);
        writer.WriteEndObject();
        writer.WriteStartArray("requirements");
        foreach (var requirement in Requirements) requirement.WriteJson(writer);
        writer.WriteEndArray();
        writer.WriteStartArray("updates");
        foreach (var update in Updates) update.WriteJson(writer, formatVersion);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
