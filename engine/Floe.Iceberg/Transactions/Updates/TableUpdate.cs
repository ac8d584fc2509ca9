using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// One change to a table's metadata, named and shaped as the Iceberg REST catalog's <c>TableUpdate</c>
/// (<c>add-snapshot</c>, <c>set-snapshot-ref</c>, …). A commit is a list of these plus the
/// <see cref="TableRequirement"/>s they rest on; a catalog either applies them to its current metadata itself (the
/// embedded catalogs: write a metadata file, compare-and-swap the pointer) or sends them (a REST catalog).
/// </summary>
public abstract record TableUpdate
{
    /// <summary>The REST spec's <c>action</c> name.</summary>
    public abstract string Action { get; }

    /// <summary>The metadata after this update; <paramref name="nowMs"/> stamps logs and <c>last-updated-ms</c>.</summary>
    public abstract TableMetadata Apply(TableMetadata metadata, long nowMs);

    /// <summary>Writes the update as the REST spec's JSON object.</summary>
    public void WriteJson(Utf8JsonWriter writer, int formatVersion)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("action", Action);
        WriteFields(writer, formatVersion);
        writer.WriteEndObject();
    }

    /// <summary>Writes the fields besides <c>action</c>.</summary>
    protected abstract void WriteFields(Utf8JsonWriter writer, int formatVersion);
}
