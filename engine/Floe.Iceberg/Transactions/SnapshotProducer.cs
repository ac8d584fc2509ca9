using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// The commit loop every snapshot-producing operation shares: refresh, validate against the fresh base, build
/// the new manifest list, write metadata, compare-and-swap; on a lost race back off and redo it all from the new
/// base. The snapshot id is fixed for the operation so manifests written in one attempt are reused by the next.
/// Files of attempts that did not land are deleted.
/// </summary>
public abstract class SnapshotProducer
{
    private readonly Dictionary<string, string> _properties = new(StringComparer.Ordinal);
    private readonly List<string> _writtenManifestLists = new();
    private readonly List<ManifestFile> _writtenManifests = new();
    private IReadOnlyList<ManifestFile>? _addedManifests;
    private IReadOnlyList<ManifestFile>? _addedDeleteManifests;
    private int _attempt;
    private IReadOnlyList<ManifestFile>? _lastListed;

    /// <summary>Creates a producer for <paramref name="table"/>.</summary>
    protected SnapshotProducer(Table table)
    {
        Table = table;
        SnapshotId = NewSnapshotId();
    }

    /// <summary>The table being changed.</summary>
    protected Table Table { get; }

    /// <summary>The table being changed, for a <see cref="TableTransaction"/> to check it is its own.</summary>
    internal Table Target => Table;

    /// <summary>The id the new snapshot will have.</summary>
    public long SnapshotId { get; }

    /// <summary>The branch the snapshot is committed to (default main).</summary>
    public string Branch { get; private set; } = SnapshotRef.MainBranch;

    /// <summary>The spec operation name: append, overwrite, replace or delete.</summary>
    protected abstract string Operation { get; }

    /// <summary>Commits to <paramref name="branch"/> instead of main; the branch is created when it does not exist.</summary>
    public SnapshotProducer ToBranch(string branch)
    {
        Branch = string.IsNullOrWhiteSpace(branch) ? throw Errors.InvalidArgument("branch name is empty") : branch;
        return this;
    }

    /// <summary>Adds a custom summary property (lineage such as <c>floe.code-version</c>).</summary>
    public SnapshotProducer Set(string key, string value)
    {
        _properties[key] = value;
        return this;
    }

    /// <summary>
    /// Checks the operation still applies on top of <paramref name="current"/> (head of the branch) when the base
    /// moved since <paramref name="startingSnapshotId"/>; throws CommitConflict (non-retryable for callers) if not.
    /// </summary>
    protected virtual void Validate(TableMetadata metadata, Snapshot? current, long? startingSnapshotId)
    {
    }

    /// <summary>Returns the new snapshot's manifests, recording added/removed files in <paramref name="summary"/>.</summary>
    private protected abstract IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary);

    /// <summary>
    /// Writes the manifests of the data files this operation adds (one per partition spec) on the first attempt and
    /// returns the same ones on retries: added entries inherit their sequence number from the manifest list, so they
    /// fit whatever base a retry lands on. Records the files in <paramref name="summary"/>.
    /// </summary>
    private protected IReadOnlyList<ManifestFile> AddedDataManifests(TableMetadata metadata, IReadOnlyList<DataFile> files, SnapshotSummaryBuilder summary)
    {
        _addedManifests ??= files
            .GroupBy(f => f.SpecId)
            .Select(g => WriteManifest(metadata, metadata.SpecById(g.Key), ManifestContent.Data,
                g.Select(f => new ManifestEntry(ManifestEntryStatus.Added, SnapshotId, null, null, f))))
            .ToList();
        foreach (var f in files) summary.Added(f);
        return _addedManifests;
    }

    /// <summary>
    /// Writes the manifests of the delete files (position delete files, deletion vectors) this operation adds, once,
    /// as <see cref="AddedDataManifests"/> does for data files: their entries inherit the commit's sequence number, so
    /// they apply to every data file of that sequence number or below, whatever base a retry lands on.
    /// </summary>
    private protected IReadOnlyList<ManifestFile> AddedDeleteManifests(TableMetadata metadata, IReadOnlyList<DataFile> files, SnapshotSummaryBuilder summary)
    {
        _addedDeleteManifests ??= files
            .GroupBy(f => f.SpecId)
            .Select(g => WriteManifest(metadata, metadata.SpecById(g.Key), ManifestContent.Deletes,
                g.Select(f => new ManifestEntry(ManifestEntryStatus.Added, SnapshotId, null, null, f))))
            .ToList();
        foreach (var f in files) summary.Added(f);
        return _addedDeleteManifests;
    }

    /// <summary>
    /// Carries the parent's manifests into <paramref name="result"/> while removing the live data files
    /// <paramref name="remove"/> selects (it is asked once per live file). Manifests that <paramref name="mayHold"/>
    /// rules out are kept without being read; a manifest that loses no file is kept as it is; any other is rewritten
    /// with the removed entries DELETED by this snapshot and the rest EXISTING (keeping their sequence numbers).
    /// Delete manifests are kept unless <paramref name="removeDelete"/> is given: then each is read and the delete
    /// files it selects are removed the same way.
    /// </summary>
    private protected void CarryOverRemoving(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary, List<ManifestFile> result,
        Func<ManifestFile, bool> mayHold, Func<DataFile, bool> remove, Func<DataFile, bool>? removeDelete = null)
    {
        foreach (var manifest in ManifestsOf(metadata, parent))
        {
            if (manifest.Content == ManifestContent.Deletes ? removeDelete is null : !mayHold(manifest))
            {
                result.Add(manifest);
                continue;
            }
            var selects = manifest.Content == ManifestContent.Deletes ? removeDelete! : remove;
            var entries = ManifestReader.Read(Table.Io, manifest, metadata.SpecById, metadata.CurrentSchema)
                .Where(e => e.Status != ManifestEntryStatus.Deleted)
                .ToList();
            var removed = new bool[entries.Count];
            var any = false;
            for (var i = 0; i < entries.Count; i++)
            {
                removed[i] = selects(entries[i].DataFile);
                any |= removed[i];
            }
            if (!any)
            {
                result.Add(manifest);
                continue;
            }
            var rewritten = new List<ManifestEntry>(entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                if (!removed[i])
                {
                    rewritten.Add(entries[i] with { Status = ManifestEntryStatus.Existing });
                    continue;
                }
                summary.Removed(entries[i].DataFile);
                rewritten.Add(entries[i] with { Status = ManifestEntryStatus.Deleted, SnapshotId = SnapshotId });
            }
            result.Add(WriteManifest(metadata, metadata.SpecById(manifest.PartitionSpecId), manifest.Content, rewritten));
        }
    }

    /// <summary>Returns <paramref name="file"/>, or throws when it is a delete file (<paramref name="action"/> names what was tried).</summary>
    protected static DataFile RequireDataFile(DataFile file, string action) =>
        file.Content == FileContent.Data ? file : throw Errors.InvalidArgument($"{file.FilePath}: only data files can be {action}");

    /// <summary>Writes a manifest of <paramref name="entries"/> for spec <paramref name="spec"/>; tracked for cleanup.</summary>
    protected ManifestFile WriteManifest(TableMetadata metadata, PartitionSpec spec, ManifestContent content, IEnumerable<ManifestEntry> entries)
    {
        var location = $"{metadata.Location.TrimEnd('/')}/metadata/{Guid.NewGuid()}-m{_writtenManifests.Count}.avro";
        var schema = metadata.CurrentSchema;
        using var writer = new ManifestWriter(Table.Io, location, spec, schema, metadata.FormatVersion, SnapshotId, content,
            SchemaParser.ToJson(schema), PartitionSpecParser.FieldsToJson(spec));
        foreach (var entry in entries)
        {
            writer.AddEntry(entry);
        }
        var manifest = writer.Close();
        _writtenManifests.Add(manifest);
        return manifest;
    }

    /// <summary>
    /// The manifests of <paramref name="snapshot"/> (none for null), each checked to name a partition spec of
    /// <paramref name="metadata"/>: a writer decides which manifests to carry, read or rewrite by their spec, so one
    /// naming an unknown spec would be carried untouched past a replace or a delete.
    /// </summary>
    /// <exception cref="FloeException">InvalidData naming the manifest list and the manifest.</exception>
    protected IReadOnlyList<ManifestFile> ManifestsOf(TableMetadata metadata, Snapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (snapshot is null) return Array.Empty<ManifestFile>();
        var manifests = Table.Operations.ReadManifestList(snapshot.ManifestList);
        foreach (var manifest in manifests) metadata.SpecOf(manifest, snapshot.ManifestList);
        return manifests;
    }

    /// <summary>Commits with retries; returns the committed snapshot and refreshes <see cref="Table"/>.</summary>
    public Snapshot Commit()
    {
        var startingSnapshotId = StartingSnapshotId();
        Snapshot snapshot;
        try
        {
            snapshot = CommitRetries.Run(Table, () => CommitOnce(startingSnapshotId));
        }
        catch
        {
            Finish(committed: null);
            throw;
        }
        Finish(snapshot);
        return snapshot;
    }

    /// <summary>The head of <see cref="Branch"/> (or main's, for a new branch) when the operation started, for validation.</summary>
    internal long? StartingSnapshotId() =>
        (Table.Metadata.Refs.ContainsKey(Branch) ? Table.Metadata.SnapshotForRef(Branch) : Table.Metadata.CurrentSnapshot)?.SnapshotId;

    /// <summary>
    /// Deletes the files of attempts that did not land: all of them when <paramref name="committed"/> is null, else
    /// those <paramref name="committed"/> does not reference.
    /// </summary>
    internal void Finish(Snapshot? committed)
    {
        if (committed is null)
        {
            DeleteUnusedFiles(committed: null);
            return;
        }
        // The catalog points at the new metadata: the commit stands. Tidying up is best effort, and a failure in it
        // must neither delete committed files nor tell the caller (who would then delete the data files) it failed.
        try
        {
            DeleteUnusedFiles(committed);
        }
        catch (Exception e) when (e is FloeException or IOException or UnauthorizedAccessException)
        {
            // Leftovers are unreferenced files, reclaimed by orphan-file removal.
        }
    }

    private Snapshot CommitOnce(long? startingSnapshotId)
    {
        var (metadata, location) = Table.Operations.Refresh();
        Table.Update(metadata, location);
        var staged = Stage(metadata, location, startingSnapshotId);
        var newLocation = Table.Operations.Commit(metadata, location, staged.Commit, staged.NowMs);
        Remember(staged.Snapshot);
        // Committed: from here on nothing may throw, or the caller's cleanup would delete the committed files.
        try
        {
            Table.Update(Table.Operations.Refresh().Metadata, newLocation);
        }
        catch (Exception e) when (e is FloeException or IOException or UnauthorizedAccessException)
        {
            // The table view stays at the base; the next refresh sees the commit.
        }
        return staged.Snapshot;
    }

    /// <summary>Caches the manifest list of the snapshot that landed, so the next operation need not read it back.</summary>
    internal void Remember(Snapshot committed) => Table.Operations.RememberManifestList(committed.ManifestList, _lastListed!);

    /// <summary>
    /// Builds this operation's snapshot on top of <paramref name="metadata"/> (validation unless
    /// <paramref name="validate"/> is false, manifests, manifest list) without committing it: the result is the commit
    /// that would add it, so a transaction can chain several.
    /// </summary>
    internal StagedSnapshot Stage(TableMetadata metadata, string location, long? startingSnapshotId, bool validate = true)
    {
        _attempt++;
        var parent = ParentOn(metadata, location);
        if (validate) Validate(metadata, parent, startingSnapshotId);

        var summary = new SnapshotSummaryBuilder();
        var manifests = Apply(metadata, parent, summary);
        var sequenceNumber = metadata.FormatVersion >= 2 ? metadata.LastSequenceNumber + 1 : 0;
        var manifestList = $"{metadata.Location.TrimEnd('/')}/metadata/snap-{SnapshotId}-{_attempt}-{Guid.NewGuid()}.avro";
        _writtenManifestLists.Add(manifestList);
        // Row lineage (v3): this attempt's first-row-id is the fresh base's next-row-id (spec "Snapshot Row IDs").
        long? firstRowId = metadata.FormatVersion >= 3 ? metadata.NextRowId ?? 0 : null;
        long? addedRows;
        using (var listWriter = new ManifestListWriter(Table.Io, manifestList, metadata.FormatVersion, SnapshotId, parent?.SnapshotId, sequenceNumber, firstRowId))
        {
            listWriter.AddAll(manifests);
            listWriter.Close();
            _lastListed = listWriter.Manifests;
            addedRows = firstRowId is null ? null : listWriter.AssignedRows;
        }

        var now = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), metadata.LastUpdatedMs + 1);
        var snapshot = new Snapshot(SnapshotId, parent?.SnapshotId, sequenceNumber, now, manifestList,
            summary.Build(Operation, parent, _properties), metadata.CurrentSchemaId)
        {
            FirstRowId = firstRowId,
            AddedRows = addedRows,
        };
        return new StagedSnapshot(snapshot, SnapshotCommit(metadata, parent, snapshot), now);
    }

    /// <summary>
    /// Runs this operation's conflict validation against <paramref name="metadata"/>: what a transaction does for each
    /// operation against the base it started from, before chaining them (an operation's own transaction is not a
    /// concurrent change to it).
    /// </summary>
    internal void ValidateOn(TableMetadata metadata, string location, long? startingSnapshotId) =>
        Validate(metadata, ParentOn(metadata, location), startingSnapshotId);

    // A branch that does not exist yet starts from main's head, so a staging branch sees main's rows.
    private Snapshot? ParentOn(TableMetadata metadata, string location)
    {
        var parent = metadata.Refs.ContainsKey(Branch) ? metadata.SnapshotForRef(Branch) : metadata.CurrentSnapshot;
        if (parent is null && metadata.Refs.ContainsKey(Branch))
        {
            throw Errors.InvalidData($"{location}: ref '{Branch}' points at a snapshot that is not in the metadata");
        }
        if (metadata.Refs.TryGetValue(Branch, out var existing) && existing.Type == SnapshotRefType.Tag)
        {
            throw Errors.InvalidArgument($"'{Branch}' is a tag; commits go to branches only");
        }
        return parent;
    }

    /// <summary>
    /// The commit of <paramref name="snapshot"/> in the REST vocabulary: the same table, the branch still at the
    /// parent this snapshot was built on (absent, for a new branch), then add the snapshot and move the branch.
    /// </summary>
    private TableCommit SnapshotCommit(TableMetadata metadata, Snapshot? parent, Snapshot snapshot)
    {
        var exists = metadata.Refs.TryGetValue(Branch, out var existing);
        var moved = exists ? existing! with { SnapshotId = snapshot.SnapshotId } : new SnapshotRef(snapshot.SnapshotId, SnapshotRefType.Branch);
        return new TableCommit(
            [new AssertTableUuid(metadata.TableUuid), new AssertRefSnapshotId(Branch, exists ? parent?.SnapshotId : null)],
            [new AddSnapshot(snapshot), new SetSnapshotRef(Branch, moved)]);
    }

    private void DeleteUnusedFiles(Snapshot? committed)
    {
        foreach (var list in _writtenManifestLists)
        {
            if (committed is null || list != committed.ManifestList) Table.Io.Delete(list);
        }
        if (committed is null)
        {
            foreach (var m in _writtenManifests) Table.Io.Delete(m.ManifestPath);
            return;
        }
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in _lastListed ?? Table.Operations.ReadManifestList(committed.ManifestList)) live.Add(m.ManifestPath);
        foreach (var m in _writtenManifests)
        {
            if (!live.Contains(m.ManifestPath)) Table.Io.Delete(m.ManifestPath);
        }
    }

    private static long NewSnapshotId() => Random.Shared.NextInt64(1, long.MaxValue);
}
