using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary><c>remove-snapshots</c>: expires snapshots (and drops refs still pointing at one of them).</summary>
public sealed record RemoveSnapshots(IReadOnlyList<long> SnapshotIds) : TableUpdate
{
    /// <inheritdoc />
    public override string Action => "remove-snapshots";

    /// <inheritdoc />
    public override TableMetadata Apply(TableMetadata metadata, long nowMs) =>
        MetadataUpdates.RemoveSnapshots(metadata, new HashSet<long>(SnapshotIds), nowMs);

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion)
    {
        writer.WriteStartArray("snapshot-ids");
        foreach (var id in SnapshotIds) writer.WriteNumberValue(id);
        writer.WriteEndArray();
    }
}
