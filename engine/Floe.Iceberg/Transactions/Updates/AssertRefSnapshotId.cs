using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// <c>assert-ref-snapshot-id</c>: the ref still points at <see cref="SnapshotId"/>, or, when that is null, the ref
/// does not exist. The optimistic-concurrency check of every write to a branch.
/// </summary>
public sealed record AssertRefSnapshotId(string RefName, long? SnapshotId) : TableRequirement
{
    /// <inheritdoc />
    public override string Type => "assert-ref-snapshot-id";

    /// <inheritdoc />
    public override void Check(TableMetadata metadata, string table)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        long? actual = metadata.Refs.TryGetValue(RefName, out var r) ? r.SnapshotId : null;
        if (actual != SnapshotId)
        {
            throw Errors.CommitConflict(
                $"table '{table}': ref '{RefName}' moved to {(actual?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing")} since the commit was prepared (expected {(SnapshotId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no ref")})");
        }
    }

    /// <inheritdoc />
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("ref", RefName);
        if (SnapshotId is { } id) writer.WriteNumber("snapshot-id", id);
        else writer.WriteNull("snapshot-id");
    }
}
