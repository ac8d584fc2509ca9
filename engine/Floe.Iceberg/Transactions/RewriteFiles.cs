using Floe.Iceberg.Expressions;
using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Replaces data files by others holding the same rows (compaction): one <c>replace</c> snapshot marks the old
/// files deleted and adds the new ones. Only manifests that hold a replaced file are rewritten. Fails with a
/// non-retryable conflict when a commit since this operation started removed one of the replaced files or added
/// delete files (those could apply to the old files' rows but, by sequence number, not to the new files); other
/// concurrent commits are merged by retry.
/// </summary>
public sealed class RewriteFiles : SnapshotProducer
{
    private readonly List<DataFile> _deleted = new();
    private readonly List<DataFile> _added = new();
    private readonly HashSet<(string Path, long? Offset)> _removedDeletes = new();

    private readonly string _operation;
    private readonly Expression? _conflictFilter;

    /// <summary>Creates a rewrite on <paramref name="table"/>.</summary>
    public RewriteFiles(Table table)
        : this(table, "replace", null)
    {
    }

    /// <summary>
    /// Creates a rewrite committed as <paramref name="operation"/> (a row-level delete commits <c>overwrite</c>); with a
    /// <paramref name="conflictFilter"/>, data files that concurrent commits added and that may hold matching rows are
    /// a conflict too, as for an overwrite by filter.
    /// </summary>
    public RewriteFiles(Table table, string operation, Expression? conflictFilter)
        : base(table)
    {
        _operation = operation;
        _conflictFilter = conflictFilter;
    }

    /// <inheritdoc />
    protected override string Operation => _operation;

    /// <summary>Removes data file <paramref name="file"/> (it must be live in the branch head).</summary>
    public RewriteFiles DeleteFile(DataFile file)
    {
        RequireDataFile(file, "rewritten");
        _deleted.Add(file);
        return this;
    }

    /// <summary>
    /// Removes delete file (or deletion vector) <paramref name="file"/>, one the rewrite made obsolete: every data file
    /// it applies to is replaced by this rewrite. One already gone from the branch head is skipped.
    /// </summary>
    public RewriteFiles RemoveDeletes(DataFile file)
    {
        if (file.Content == FileContent.Data) throw Errors.InvalidArgument($"{file.FilePath}: a data file is not a delete file");
        _removedDeletes.Add((file.FilePath, file.ContentOffset));
        return this;
    }

    /// <summary>Adds data file <paramref name="file"/>.</summary>
    public RewriteFiles AddFile(DataFile file)
    {
        _added.Add(RequireDataFile(file, "added by a rewrite"));
        return this;
    }

    private HashSet<string> DeletedPaths() => _deleted.Select(f => f.FilePath).ToHashSet(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override void Validate(TableMetadata metadata, Snapshot? current, long? startingSnapshotId)
    {
        if (current is null || current.SnapshotId == startingSnapshotId) return;
        var deleted = DeletedPaths();
        var metrics = _conflictFilter is null ? null : new InclusiveMetricsEvaluator(_conflictFilter);
        foreach (var snapshot in ConcurrentChanges.Since(metadata, current, startingSnapshotId, Branch, "rewrite"))
        {
            var changes = SnapshotChanges.Of(Table.Io, metadata, snapshot);
            ConcurrentChanges.RejectRemovedData(Table, snapshot, changes, deleted, "while it was being rewritten", "rewrite");
            if (metrics is not null) ConcurrentChanges.RejectMatchingData(Table, snapshot, changes, metrics, _conflictFilter!, "delete");
            if (changes.AddedDeleteFiles.Count > 0)
            {
                throw Errors.CommitConflict(
                    $"[validation] snapshot {snapshot.SnapshotId} added delete files to table '{Table.Identifier}' while files were being rewritten; rerun the rewrite");
            }
        }
    }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        var added = AddedDataManifests(metadata, _added, summary);

        var deleted = DeletedPaths();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var partitionsBySpec = _deleted.GroupBy(f => f.SpecId).ToDictionary(g => g.Key, g => g.Select(f => f.Partition).Distinct().ToList());
        var result = new List<ManifestFile>(added);
        CarryOverRemoving(metadata, parent, summary, result,
            manifest => partitionsBySpec.TryGetValue(manifest.PartitionSpecId, out var partitions) &&
                        PartitionSummaries.MayContainAny(metadata.SpecById(manifest.PartitionSpecId), metadata.CurrentSchema, manifest.Partitions, partitions),
            file => deleted.Contains(file.FilePath) && found.Add(file.FilePath),
            _removedDeletes.Count == 0 ? null : file => _removedDeletes.Contains((file.FilePath, file.ContentOffset)));
        if (found.Count != deleted.Count)
        {
            var missing = deleted.First(p => !found.Contains(p));
            throw Errors.CommitConflict($"[validation] {missing} is no longer a live file of branch '{Branch}' of table '{Table.Identifier}'; rerun the rewrite");
        }
        return result;
    }
}
