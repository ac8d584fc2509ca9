using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Dynamic partition overwrite (Iceberg's ReplacePartitions): the partitions present in the new files are replaced
/// atomically — every live data file of exactly those partitions (and of any named by <see cref="ReplacePartition"/>)
/// is marked deleted and the new files are added in one <c>overwrite</c> snapshot; other partitions are untouched. Only manifests whose partition summaries may hold
/// a replaced partition are read, and only those that really do are rewritten.
/// Isolation is serializable: if a commit since this operation's base added or deleted files in a replaced
/// partition the overwrite fails with a non-retryable conflict; commits to other partitions are merged by retry.
/// </summary>
public sealed class DynamicPartitionOverwrite : SnapshotProducer
{
    private readonly List<DataFile> _files = new();
    private readonly HashSet<(int SpecId, PartitionData Partition)> _emptied = new();

    /// <summary>Creates an overwrite on <paramref name="table"/>.</summary>
    public DynamicPartitionOverwrite(Table table)
        : base(table)
    {
        // Java marks dynamic overwrites this way; cherry-pick and other engines rely on it.
        Set("replace-partitions", "true");
    }

    /// <inheritdoc />
    protected override string Operation => "overwrite";

    /// <summary>Adds a data file; its partition is replaced.</summary>
    public DynamicPartitionOverwrite AddFile(DataFile file)
    {
        _files.Add(RequireDataFile(file, "added by an overwrite"));
        return this;
    }

    /// <summary>
    /// Replaces <paramref name="partition"/> of spec <paramref name="specId"/> even when no added file lands in it:
    /// with no file added there, its live files are deleted and the partition ends up empty. A rerun of a job whose
    /// output for that partition became empty then converges instead of leaving the old rows.
    /// </summary>
    public DynamicPartitionOverwrite ReplacePartition(int specId, PartitionData partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        _emptied.Add((specId, partition));
        return this;
    }

    private HashSet<(int SpecId, PartitionData Partition)> Replaced()
    {
        var replaced = _files.Select(f => (f.SpecId, f.Partition)).ToHashSet();
        replaced.UnionWith(_emptied);
        return replaced;
    }

    /// <inheritdoc />
    protected override void Validate(TableMetadata metadata, Snapshot? current, long? startingSnapshotId)
    {
        if (current is null || current.SnapshotId == startingSnapshotId) return;
        var replaced = Replaced();
        foreach (var snapshot in ConcurrentChanges.Since(metadata, current, startingSnapshotId, Branch, "overwrite"))
        {
            foreach (var manifest in ManifestsOf(metadata, snapshot))
            {
                if (manifest.AddedSnapshotId != snapshot.SnapshotId || manifest.Content != ManifestContent.Data) continue;
                foreach (var entry in ManifestReader.Read(Table.Io, manifest, metadata.SpecById, metadata.CurrentSchema))
                {
                    if (entry.Status != ManifestEntryStatus.Existing && entry.SnapshotId == snapshot.SnapshotId &&
                        replaced.Contains((entry.DataFile.SpecId, entry.DataFile.Partition)))
                    {
                        throw Errors.CommitConflict(
                            $"[validation] snapshot {snapshot.SnapshotId} ({snapshot.Operation}) changed partition {entry.DataFile.Partition} of table '{Table.Identifier}' after this overwrite started; rerun the overwrite");
                    }
                }
            }
        }
    }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        var added = AddedDataManifests(metadata, _files, summary);

        var replaced = Replaced();
        var replacedBySpec = replaced.GroupBy(r => r.SpecId).ToDictionary(g => g.Key, g => g.Select(r => r.Partition).ToList());
        var result = new List<ManifestFile>(added);
        CarryOverRemoving(metadata, parent, summary, result,
            manifest => replacedBySpec.TryGetValue(manifest.PartitionSpecId, out var partitions) &&
                        PartitionSummaries.MayContainAny(metadata.SpecById(manifest.PartitionSpecId), metadata.CurrentSchema, manifest.Partitions, partitions),
            file => replaced.Contains((file.SpecId, file.Partition)));
        return result;
    }
}
