using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Commits a metadata-only change (ref moves, snapshot expiry) with the same refresh / compare-and-swap /
/// retry-on-conflict behaviour as <see cref="SnapshotProducer"/>. The update is a pure function of the fresh
/// metadata, so each retry re-derives the change from the latest base instead of replaying a stale result.
/// </summary>
public static class MetadataCommit
{
    /// <summary>
    /// Applies <paramref name="update"/> (fresh metadata, commit time in ms → new metadata) and commits it; returns the
    /// committed metadata and refreshes <paramref name="table"/>. When the update returns its input unchanged
    /// (same instance) nothing is written.
    /// </summary>
    public static TableMetadata Commit(Table table, Func<TableMetadata, long, TableMetadata> update)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(update);
        return CommitRetries.Run(table, () =>
        {
            var (metadata, location) = table.Operations.Refresh();
            table.Update(metadata, location);
            var now = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), metadata.LastUpdatedMs + 1);
            var updated = update(metadata, now);
            if (ReferenceEquals(updated, metadata)) return metadata;
            updated = updated with { LastUpdatedMs = now };
            var newLocation = table.Operations.Commit(metadata, location, updated);
            var (committed, _) = table.Operations.Refresh();
            table.Update(committed, newLocation);
            return committed;
        });
    }
}
