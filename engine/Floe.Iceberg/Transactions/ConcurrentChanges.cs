using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// The walk over commits made since an operation started that every conflict-checking operation (rewrite, row delta,
/// dynamic overwrite) validates against, and the checks they share, so each states only what conflicts with it.
/// </summary>
internal static class ConcurrentChanges
{
    /// <summary>
    /// The snapshots committed on the branch after <paramref name="startingSnapshotId"/> up to <paramref name="current"/>,
    /// newest first. After the last one, a conflict when <paramref name="startingSnapshotId"/> is no longer an ancestor
    /// (the branch was reset or the snapshot expired), as the operation cannot know what changed.
    /// </summary>
    public static IEnumerable<Snapshot> Since(TableMetadata metadata, Snapshot current, long? startingSnapshotId, string branch, string rerun)
    {
        foreach (var snapshot in SnapshotAncestry.Ancestors(metadata, current))
        {
            if (snapshot.SnapshotId == startingSnapshotId) yield break;
            yield return snapshot;
        }
        if (startingSnapshotId is not null)
        {
            throw Errors.CommitConflict($"[validation] snapshot {startingSnapshotId} is no longer an ancestor of branch '{branch}'; rerun the {rerun}");
        }
    }

    /// <summary>A conflict when <paramref name="snapshot"/> removed one of the data files in <paramref name="paths"/>.</summary>
    public static void RejectRemovedData(Table table, Snapshot snapshot, SnapshotChanges changes, HashSet<string> paths, string during, string rerun)
    {
        foreach (var removed in changes.RemovedDataFiles)
        {
            if (paths.Contains(removed.FilePath))
            {
                throw Errors.CommitConflict(
                    $"[validation] snapshot {snapshot.SnapshotId} ({snapshot.Operation}) removed {removed.FilePath} of table '{table.Identifier}' {during}; rerun the {rerun}");
            }
        }
    }

    /// <summary>
    /// Serializable isolation: a conflict when <paramref name="snapshot"/> added a data file that, by its column
    /// metrics, may hold rows matching <paramref name="filter"/>.
    /// </summary>
    public static void RejectMatchingData(Table table, Snapshot snapshot, SnapshotChanges changes, InclusiveMetricsEvaluator metrics, Expression filter, string rerun)
    {
        foreach (var added in changes.AddedDataFiles)
        {
            if (metrics.MayMatch(added))
            {
                throw Errors.CommitConflict(
                    $"[validation] snapshot {snapshot.SnapshotId} ({snapshot.Operation}) added {added.FilePath} to table '{table.Identifier}', which may hold rows matching '{filter}' (serializable isolation); rerun the {rerun}");
            }
        }
    }
}
