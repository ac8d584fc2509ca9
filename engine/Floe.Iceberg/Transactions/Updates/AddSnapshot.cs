using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Spec.Serde;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary><c>add-snapshot</c>: adds a snapshot (no ref moves; that is <see cref="SetSnapshotRef"/>).</summary>
public sealed record AddSnapshot(Snapshot Snapshot) : TableUpdate
{
    /// <inheritdoc />
    public override string Action => "add-snapshot";

    /// <inheritdoc />
    public override TableMetadata Apply(TableMetadata metadata, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.SnapshotById(Snapshot.SnapshotId) is not null)
        {
            throw Core.Errors.Errors.CommitConflict($"snapshot {Snapshot.SnapshotId} is already in the table");
        }
        return metadata with
        {
            Snapshots = new List<Snapshot>(metadata.Snapshots) { Snapshot },
            LastSequenceNumber = Math.Max(metadata.LastSequenceNumber, Snapshot.SequenceNumber),
            LastUpdatedMs = nowMs,
        };
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion)
    {
        writer.WritePropertyName("snapshot");
        SnapshotJson.WriteSnapshot(writer, Snapshot, formatVersion);
    }
}
