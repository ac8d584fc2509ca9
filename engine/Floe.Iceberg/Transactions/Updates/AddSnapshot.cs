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
            NextRowId = NextRowId(metadata),
            LastUpdatedMs = nowMs,
        };
    }

    /// <summary>
    /// The table's next-row-id once the snapshot is added (v3, spec "Row Lineage"): past every row id the snapshot
    /// assigned. A snapshot whose ids start below the table's next-row-id was built on a stale base and would reuse
    /// ids, so it is a (retryable) conflict, as Iceberg Java checks.
    /// </summary>
    private long? NextRowId(TableMetadata metadata)
    {
        if (metadata.FormatVersion < 3) return metadata.NextRowId;
        if (Snapshot.FirstRowId is not { } first || Snapshot.AddedRows is not { } added)
        {
            throw Core.Errors.Errors.InvalidArgument($"snapshot {Snapshot.SnapshotId}: a format v3 snapshot needs first-row-id and added-rows");
        }
        var next = metadata.NextRowId ?? 0;
        if (first < next)
        {
            throw Core.Errors.Errors.CommitConflict($"snapshot {Snapshot.SnapshotId}: first-row-id {first} is behind the table's next-row-id {next}");
        }
        return first + added;
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion)
    {
        writer.WritePropertyName("snapshot");
        SnapshotJson.WriteSnapshot(writer, Snapshot, formatVersion);
    }
}
