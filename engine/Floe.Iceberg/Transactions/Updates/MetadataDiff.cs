using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// States the change from one metadata to another as a <see cref="TableCommit"/>: the updates that turn the base
/// into the result, and the requirements that keep them valid (the same table; every ref they move or drop still
/// where the base had it). Lets metadata-only operations written as "base → new metadata" functions commit in the
/// REST vocabulary. A change no update here can express (schemas, specs, sort orders, location, format version)
/// is refused rather than silently lost.
/// </summary>
public static class MetadataDiff
{
    /// <summary>The commit that turns <paramref name="base"/> into <paramref name="updated"/>.</summary>
    public static TableCommit Between(TableMetadata @base, TableMetadata updated)
    {
        ArgumentNullException.ThrowIfNull(@base);
        ArgumentNullException.ThrowIfNull(updated);
        RefuseInexpressible(@base, updated);
        var requirements = new List<TableRequirement> { new AssertTableUuid(@base.TableUuid) };
        var updates = new List<TableUpdate>();

        var baseSnapshots = new HashSet<long>();
        foreach (var s in @base.Snapshots) baseSnapshots.Add(s.SnapshotId);
        var keptSnapshots = new HashSet<long>();
        foreach (var s in updated.Snapshots)
        {
            keptSnapshots.Add(s.SnapshotId);
            if (!baseSnapshots.Contains(s.SnapshotId)) updates.Add(new AddSnapshot(s));
        }

        foreach (var (name, reference) in updated.Refs)
        {
            var had = @base.Refs.TryGetValue(name, out var old);
            if (had && old == reference) continue;
            requirements.Add(new AssertRefSnapshotId(name, had ? old!.SnapshotId : null));
            updates.Add(new SetSnapshotRef(name, reference));
        }
        var removedSnapshots = new List<long>();
        foreach (var s in @base.Snapshots)
        {
            if (!keptSnapshots.Contains(s.SnapshotId)) removedSnapshots.Add(s.SnapshotId);
        }
        foreach (var (name, old) in @base.Refs)
        {
            if (updated.Refs.ContainsKey(name)) continue;
            requirements.Add(new AssertRefSnapshotId(name, old.SnapshotId));
            updates.Add(new RemoveSnapshotRef(name));
        }
        if (removedSnapshots.Count > 0) updates.Add(new RemoveSnapshots(removedSnapshots));

        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in updated.Properties)
        {
            if (!@base.Properties.TryGetValue(key, out var old) || old != value) set[key] = value;
        }
        if (set.Count > 0) updates.Add(new SetProperties(set));
        var removals = new List<string>();
        foreach (var key in @base.Properties.Keys)
        {
            if (!updated.Properties.ContainsKey(key)) removals.Add(key);
        }
        if (removals.Count > 0) updates.Add(new RemoveProperties(removals));

        if (updated.CurrentSnapshotId != @base.CurrentSnapshotId && !updated.Refs.ContainsKey(SnapshotRef.MainBranch) && updated.CurrentSnapshotId is { } current)
        {
            // A table without refs (format v1 history) moves main by its current snapshot alone.
            updates.Add(new SetSnapshotRef(SnapshotRef.MainBranch, new SnapshotRef(current, SnapshotRefType.Branch)));
        }
        return new TableCommit(requirements, updates);
    }

    private static void RefuseInexpressible(TableMetadata a, TableMetadata b)
    {
        string? what =
            a.TableUuid != b.TableUuid ? "table-uuid" :
            a.FormatVersion != b.FormatVersion ? "format-version" :
            a.Location != b.Location ? "location" :
            !ReferenceEquals(a.Schemas, b.Schemas) && !a.Schemas.SequenceEqual(b.Schemas) ? "schemas" :
            a.CurrentSchemaId != b.CurrentSchemaId ? "current-schema-id" :
            a.LastColumnId != b.LastColumnId ? "last-column-id" :
            !ReferenceEquals(a.PartitionSpecs, b.PartitionSpecs) && !a.PartitionSpecs.SequenceEqual(b.PartitionSpecs) ? "partition-specs" :
            a.DefaultSpecId != b.DefaultSpecId ? "default-spec-id" :
            a.LastPartitionId != b.LastPartitionId ? "last-partition-id" :
            !ReferenceEquals(a.SortOrders, b.SortOrders) && !a.SortOrders.SequenceEqual(b.SortOrders) ? "sort-orders" :
            a.DefaultSortOrderId != b.DefaultSortOrderId ? "default-sort-order-id" :
            null;
        if (what is not null)
        {
            throw Errors.Unsupported($"a metadata change of '{what}' cannot be committed as table updates yet");
        }
    }
}
