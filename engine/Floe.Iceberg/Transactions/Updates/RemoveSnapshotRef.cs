using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary><c>remove-snapshot-ref</c>: drops a branch (not main) or a tag; absent refs are ignored.</summary>
public sealed record RemoveSnapshotRef(string RefName) : TableUpdate
{
    /// <inheritdoc />
    public override string Action => "remove-snapshot-ref";

    /// <inheritdoc />
    public override TableMetadata Apply(TableMetadata metadata, long nowMs) => MetadataUpdates.RemoveRef(metadata, RefName, nowMs);

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion) => writer.WriteString("ref-name", RefName);
}
