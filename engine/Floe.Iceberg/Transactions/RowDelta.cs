using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// A merge-on-read row-level change (Iceberg's row delta): adds delete files (position delete files, or deletion
/// vectors in v3) that mark rows of live data files deleted, removes data files whose rows are all gone, and removes
/// delete files a new one supersedes (a data file's previous deletion vector, merged into the new one). Commits a
/// <c>delete</c> snapshot.
/// </summary>
/// <remarks>
/// Validation against commits made since the operation started (the spec's optimistic concurrency): a data file
/// this delta references (by a delete or a removal) that another commit removed, a delete file another commit added
/// for one of those data files, or a delete file to be replaced that another commit removed, is a conflict, so two
/// concurrent deletes of the same data file never both land (and a v3 data file never gets two deletion vectors).
/// Under serializable isolation (<see cref="ConflictDetection"/> with a filter), a concurrently added data file that
/// may hold rows matching the delete filter is a conflict too; under snapshot isolation it is not.
/// </remarks>
public sealed class RowDelta : SnapshotProducer
{
    private readonly List<DataFile> _addedDeletes = new();
    private readonly List<DataFile> _removedData = new();
    private readonly List<DataFile> _removedDeletes = new();
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);
    private Expression? _conflictFilter;

    /// <summary>Creates a row delta on <paramref name="table"/>.</summary>
    public RowDelta(Table table)
        : base(table)
    {
    }

    /// <inheritdoc />
    protected override string Operation => "delete";

    /// <summary>Adds a delete file; its data files (<see cref="ReferenceDataFile"/>) must stay live until the commit.</summary>
    public RowDelta AddDeletes(DataFile deleteFile)
    {
        if (deleteFile.Content == FileContent.Data) throw Errors.InvalidArgument($"{deleteFile.FilePath}: a row delta adds delete files, not data files");
        _addedDeletes.Add(deleteFile);
        if (deleteFile.ReferencedDataFile is { } referenced) _referenced.Add(referenced);
        return this;
    }

    /// <summary>Records that the added deletes apply to <paramref name="dataFilePath"/> (checked for concurrent removal).</summary>
    public RowDelta ReferenceDataFile(string dataFilePath)
    {
        _referenced.Add(dataFilePath);
        return this;
    }

    /// <summary>Removes live data file <paramref name="file"/> whole (every live row of it is deleted).</summary>
    public RowDelta RemoveRows(DataFile file)
    {
        _removedData.Add(RequireDataFile(file, "removed by a row delta"));
        _referenced.Add(file.FilePath);
        return this;
    }

    /// <summary>Removes delete file <paramref name="deleteFile"/> (superseded by an added one, or left dangling by a removed data file).</summary>
    public RowDelta RemoveDeletes(DataFile deleteFile)
    {
        if (deleteFile.Content == FileContent.Data) throw Errors.InvalidArgument($"{deleteFile.FilePath}: a data file is not a delete file");
        _removedDeletes.Add(deleteFile);
        return this;
    }

    /// <summary>
    /// Serializable isolation: data files added concurrently that may hold rows matching <paramref name="filter"/> are a
    /// conflict. Without this call (snapshot isolation) concurrent appends merge.
    /// </summary>
    public RowDelta ConflictDetection(Expression filter)
    {
        _conflictFilter = filter;
        return this;
    }

    /// <summary>Whether the delta changes anything.</summary>
    public bool IsEmpty => _addedDeletes.Count == 0 && _removedData.Count == 0 && _removedDeletes.Count == 0;

    private static (string Path, long? Offset) Key(DataFile file) => (file.FilePath, file.ContentOffset);

    /// <inheritdoc />
    protected override void Validate(TableMetadata metadata, Snapshot? current, long? startingSnapshotId)
    {
        if (current is null || current.SnapshotId == startingSnapshotId) return;
        var replaced = _removedDeletes.Select(Key).ToHashSet();
        var partitions = new HashSet<(int SpecId, PartitionData Partition)>();
        foreach (var f in _addedDeletes) partitions.Add((f.SpecId, f.Partition));
        foreach (var f in _removedData) partitions.Add((f.SpecId, f.Partition));
        var metrics = _conflictFilter is null ? null : new InclusiveMetricsEvaluator(_conflictFilter);
        foreach (var snapshot in ConcurrentChanges.Since(metadata, current, startingSnapshotId, Branch, "delete"))
        {
            var changes = SnapshotChanges.Of(Table.Io, metadata, snapshot);
            ConcurrentChanges.RejectRemovedData(Table, snapshot, changes, _referenced, "while rows of it were being deleted", "delete");
            foreach (var added in changes.AddedDeleteFiles)
            {
                // A delete file scoped to another data file cannot touch ours; an unscoped one (a partition's position
                // deletes, equality deletes) may, when it lies in a partition this delta touches or is global.
                var touches = added.ReferencedDataFile is { } target
                    ? _referenced.Contains(target)
                    : added.Partition.Count == 0 || partitions.Contains((added.SpecId, added.Partition));
                if (touches)
                {
                    throw Errors.CommitConflict(
                        $"[validation] snapshot {snapshot.SnapshotId} ({snapshot.Operation}) added delete file {added.FilePath} to table '{Table.Identifier}' for data files this delete changes; rerun the delete");
                }
            }
            foreach (var removed in changes.RemovedDeleteFiles)
            {
                if (replaced.Contains(Key(removed)))
                {
                    throw Errors.CommitConflict(
                        $"[validation] snapshot {snapshot.SnapshotId} ({snapshot.Operation}) removed delete file {removed.FilePath} of table '{Table.Identifier}' that this delete replaces; rerun the delete");
                }
            }
            if (metrics is not null) ConcurrentChanges.RejectMatchingData(Table, snapshot, changes, metrics, _conflictFilter!, "delete");
        }
    }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        var result = new List<ManifestFile>(AddedDeleteManifests(metadata, _addedDeletes, summary));
        var removedData = _removedData.Select(f => f.FilePath).ToHashSet(StringComparer.Ordinal);
        var removedDeletes = _removedDeletes.Select(Key).ToHashSet();
        var foundData = new HashSet<string>(StringComparer.Ordinal);
        var foundDeletes = new HashSet<(string, long?)>();
        var partitionsBySpec = _removedData.GroupBy(f => f.SpecId).ToDictionary(g => g.Key, g => g.Select(f => f.Partition).Distinct().ToList());
        CarryOverRemoving(metadata, parent, summary, result,
            manifest => partitionsBySpec.TryGetValue(manifest.PartitionSpecId, out var partitions) &&
                        PartitionSummaries.MayContainAny(metadata.SpecById(manifest.PartitionSpecId), metadata.CurrentSchema, manifest.Partitions, partitions),
            file => removedData.Contains(file.FilePath) && foundData.Add(file.FilePath),
            removedDeletes.Count == 0 ? null : file => removedDeletes.Contains(Key(file)) && foundDeletes.Add(Key(file)));
        if (foundData.Count != removedData.Count)
        {
            var missing = removedData.First(p => !foundData.Contains(p));
            throw Errors.CommitConflict($"[validation] {missing} is no longer a live file of branch '{Branch}' of table '{Table.Identifier}'; rerun the delete");
        }
        if (foundDeletes.Count != removedDeletes.Count)
        {
            var missing = removedDeletes.First(p => !foundDeletes.Contains(p));
            throw Errors.CommitConflict($"[validation] delete file {missing.Item1} is no longer live in branch '{Branch}' of table '{Table.Identifier}'; rerun the delete");
        }
        return result;
    }
}
