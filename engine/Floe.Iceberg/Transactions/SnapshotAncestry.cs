using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>Walks snapshot lineage through parent ids (stopping where a parent was expired).</summary>
public static class SnapshotAncestry
{
    /// <summary><paramref name="snapshot"/> and its ancestors, newest first, as far as the metadata still holds them.</summary>
    public static IEnumerable<Snapshot> Ancestors(TableMetadata metadata, Snapshot? snapshot)
    {
        var seen = new HashSet<long>();
        while (snapshot is not null && seen.Add(snapshot.SnapshotId))
        {
            yield return snapshot;
            snapshot = snapshot.ParentSnapshotId is { } parent ? metadata.SnapshotById(parent) : null;
        }
    }

    /// <summary>True when <paramref name="ancestorId"/> is <paramref name="snapshot"/> or one of its ancestors.</summary>
    public static bool IsAncestorOf(TableMetadata metadata, long ancestorId, Snapshot snapshot)
    {
        foreach (var s in Ancestors(metadata, snapshot))
        {
            if (s.SnapshotId == ancestorId) return true;
        }
        return false;
    }
}
