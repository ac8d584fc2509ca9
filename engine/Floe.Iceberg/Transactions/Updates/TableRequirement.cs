using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// A condition the table's current metadata must meet for a commit's updates to apply, named and shaped as the
/// Iceberg REST catalog's <c>TableRequirement</c>. A failed requirement is a retryable commit conflict: the writer
/// refreshes, re-derives its updates and tries again.
/// </summary>
public abstract record TableRequirement
{
    /// <summary>The REST spec's <c>type</c> name.</summary>
    public abstract string Type { get; }

    /// <summary>Throws CommitConflict unless <paramref name="metadata"/> meets the requirement.</summary>
    public abstract void Check(TableMetadata metadata, string table);

    /// <summary>Writes the requirement as the REST spec's JSON object.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", Type);
        WriteFields(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes the fields besides <c>type</c>.</summary>
    protected abstract void WriteFields(Utf8JsonWriter writer);
}
