using System.Text.Json;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// <c>set-snapshot-ref</c>: creates or moves a branch or tag. Moving <c>main</c> also moves the current snapshot and
/// appends to the snapshot log, as the spec requires.
/// </summary>
public sealed record SetSnapshotRef(string RefName, SnapshotRef Reference) : TableUpdate
{
    /// <inheritdoc />
    public override string Action => "set-snapshot-ref";

    /// <inheritdoc />
    public override TableMetadata Apply(TableMetadata metadata, long nowMs) => MetadataUpdates.SetRef(metadata, RefName, Reference, nowMs);

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer, int formatVersion)
    {
        writer.WriteString("ref-name", RefName);
        writer.WriteNumber("snapshot-id", Reference.SnapshotId);
        writer.WriteString("type", Reference.Type == SnapshotRefType.Tag ? "tag" : "branch");
        if (Reference.MinSnapshotsToKeep is { } min) writer.WriteNumber("min-snapshots-to-keep", min);
        if (Reference.MaxSnapshotAgeMs is { } age) writer.WriteNumber("max-snapshot-age-ms", age);
        if (Reference.MaxRefAgeMs is { } refAge) writer.WriteNumber("max-ref-age-ms", refAge);
    }
}
