using System.Globalization;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Applies the changes of one snapshot (typically staged on another branch) onto a branch, as Iceberg's
/// cherry-pick: an <c>append</c> is re-committed as a new append of the same data files; an <c>overwrite</c> made by
/// dynamic partition overwrite replaces the same partitions again; any other snapshot whose parent is the branch
/// head is fast-forwarded to. New snapshots record <c>source-snapshot-id</c> in their summary as Java does.
/// Picking a snapshot that is already an ancestor of the branch head, or was already picked onto it, fails with
/// ValidationFailed.
/// </summary>
public sealed class CherryPick
{
    /// <summary>Summary key naming the snapshot a cherry-picked snapshot came from.</summary>
    public const string SourceSnapshotIdProperty = "source-snapshot-id";

    private readonly Table _table;
    private readonly long _snapshotId;
    private string _branch = SnapshotRef.MainBranch;

    /// <summary>Prepares to pick snapshot <paramref name="snapshotId"/> of <paramref name="table"/> onto main.</summary>
    public CherryPick(Table table, long snapshotId)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _snapshotId = snapshotId;
    }

    /// <summary>Picks onto <paramref name="branch"/> instead of main.</summary>
    public CherryPick ToBranch(string branch)
    {
        _branch = string.IsNullOrWhiteSpace(branch) ? throw Errors.InvalidArgument("branch name is empty") : branch;
        return this;
    }

    /// <summary>Commits; returns the new snapshot, or the picked snapshot itself when the branch was fast-forwarded to it.</summary>
    public Snapshot Commit()
    {
        var metadata = _table.Refresh().Metadata;
        var source = metadata.SnapshotById(_snapshotId) ?? throw Errors.NotFound($"snapshot {_snapshotId} is not in the metadata of table '{_table.Identifier}'");
        if (metadata.Refs.TryGetValue(_branch, out var branchRef) && branchRef.Type == SnapshotRefType.Tag)
        {
            throw Errors.InvalidArgument($"'{_branch}' is a tag; cherry-pick targets a branch");
        }
        var head = metadata.SnapshotForRef(_branch) ?? (metadata.Refs.ContainsKey(_branch) ? null : metadata.CurrentSnapshot);
        var sourceId = _snapshotId.ToString(CultureInfo.InvariantCulture);
        foreach (var ancestor in SnapshotAncestry.Ancestors(metadata, head))
        {
            if (ancestor.SnapshotId == _snapshotId)
            {
                throw Errors.ValidationFailed($"cannot cherry-pick snapshot {_snapshotId}: it is already an ancestor of branch '{_branch}' of table '{_table.Identifier}'");
            }
            if (ancestor.Summary.TryGetValue(SourceSnapshotIdProperty, out var picked) && picked == sourceId)
            {
                throw Errors.ValidationFailed($"cannot cherry-pick snapshot {_snapshotId}: it was already picked onto branch '{_branch}' as snapshot {ancestor.SnapshotId}");
            }
        }

        var changes = SnapshotChanges.Of(_table.Io, metadata, source);
        var noDeleteFiles = changes.AddedDeleteFiles.Count == 0 && changes.RemovedDeleteFiles.Count == 0;
        if (source.Operation == "append" && noDeleteFiles && changes.RemovedDataFiles.Count == 0)
        {
            var append = new FastAppend(_table);
            foreach (var f in changes.AddedDataFiles) append.AppendFile(f);
            return append.ToBranch(_branch).Set(SourceSnapshotIdProperty, sourceId).Commit();
        }
        if (source.Operation == "overwrite" && noDeleteFiles && changes.AddedDataFiles.Count > 0 && IsPartitionReplacement(source, changes))
        {
            var overwrite = new DynamicPartitionOverwrite(_table);
            foreach (var f in changes.AddedDataFiles) overwrite.AddFile(f);
            return overwrite.ToBranch(_branch).Set(SourceSnapshotIdProperty, sourceId).Set("replace-partitions", "true").Commit();
        }
        if (head is not null && source.ParentSnapshotId == head.SnapshotId)
        {
            new ManageSnapshots(_table).FastForward(_branch, SnapshotTarget.Snapshot(_snapshotId)).Commit();
            return source;
        }
        throw Errors.Unsupported(
            $"cannot cherry-pick {source.Operation} snapshot {_snapshotId}: only appends and dynamic partition overwrites can be re-applied onto a different head; other operations only fast-forward when their parent is the head of '{_branch}'");
    }

    /// <summary>
    /// True when the overwrite removed files only in partitions it also wrote (the shape dynamic partition overwrite
    /// produces; Java marks it <c>replace-partitions=true</c>), so replacing the same partitions again reproduces it.
    /// </summary>
    private static bool IsPartitionReplacement(Snapshot source, SnapshotChanges changes)
    {
        if (source.Summary.TryGetValue("replace-partitions", out var flag) && flag == "true") return true;
        var written = changes.AddedDataFiles.Select(f => (f.SpecId, f.Partition)).ToHashSet();
        return changes.RemovedDataFiles.All(f => written.Contains((f.SpecId, f.Partition)));
    }
}
