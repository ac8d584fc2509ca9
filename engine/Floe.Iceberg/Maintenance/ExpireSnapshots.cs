using System.Globalization;
using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Expires old snapshots as Iceberg's ExpireSnapshots does, then deletes the files only they reached.
/// Retention, per branch: the newest <c>min-snapshots-to-keep</c> ancestors of the head are always kept, and so is
/// every ancestor newer than now − <c>max-snapshot-age-ms</c>; a ref's own settings win over the defaults, which
/// come from <see cref="ExpireOlderThan"/>/<see cref="RetainLast"/> or else the table properties
/// <c>history.expire.max-snapshot-age-ms</c> (5 days) and <c>history.expire.min-snapshots-to-keep</c> (1). Refs
/// other than main older than their <c>max-ref-age-ms</c> (default <c>history.expire.max-ref-age-ms</c>, never)
/// are removed first. A snapshot a remaining tag or branch points at is never expired; snapshots no ref reaches
/// are kept while newer than the default age. The metadata change is one retried metadata-only commit; files are
/// deleted only after it landed, and only those no retained snapshot's manifests reach.
/// </summary>
public sealed class ExpireSnapshots
{
    private const long DefaultMaxSnapshotAgeMs = 5L * 24 * 60 * 60 * 1000;

    private readonly Table _table;
    private long? _olderThanMs;
    private int? _retainLast;
    private bool _dryRun;
    private bool _cleanFiles = true;

    /// <summary>Prepares an expiry on <paramref name="table"/>.</summary>
    public ExpireSnapshots(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>Expires snapshots older than <paramref name="timestampMs"/> (epoch ms) instead of the table's default age.</summary>
    public ExpireSnapshots ExpireOlderThan(long timestampMs)
    {
        _olderThanMs = timestampMs;
        return this;
    }

    /// <summary>Keeps at least the newest <paramref name="count"/> snapshots of each branch (refs' own setting wins).</summary>
    public ExpireSnapshots RetainLast(int count)
    {
        if (count < 1) throw Errors.InvalidArgument($"retain-last must be at least 1, got {count}");
        _retainLast = count;
        return this;
    }

    /// <summary>Only computes what would be expired and deleted; commits and deletes nothing.</summary>
    public ExpireSnapshots DryRun(bool dryRun = true)
    {
        _dryRun = dryRun;
        return this;
    }

    /// <summary>Whether to delete the files of expired snapshots (default true).</summary>
    public ExpireSnapshots CleanExpiredFiles(bool clean)
    {
        _cleanFiles = clean;
        return this;
    }

    /// <summary>Runs the expiry.</summary>
    public ExpireSnapshotsResult Execute()
    {
        var current = _table.Refresh().Metadata;
        // A registered table's files are not Floe's to delete unless opened for it: expire the metadata, keep the files.
        bool filesKept = _cleanFiles && !_table.Io.CanDelete;
        bool cleanFiles = _cleanFiles && !filesKept;
        if (cleanFiles && current.Properties.TryGetValue("gc.enabled", out var gc) && gc.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidArgument($"table '{_table.Identifier}' has gc.enabled=false: its files may be shared with other tables, so they are never deleted");
        }
        TableMetadata before, after;
        IReadOnlyList<string> removedRefs;
        if (_dryRun)
        {
            before = current;
            (after, removedRefs) = Plan(current, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        else
        {
            TableMetadata? attemptBase = null;
            IReadOnlyList<string> attemptRefs = Array.Empty<string>();
            after = MetadataCommit.Commit(_table, (metadata, now) =>
            {
                attemptBase = metadata;
                var (updated, refs) = Plan(metadata, now);
                attemptRefs = refs;
                return updated;
            });
            before = attemptBase!;
            removedRefs = attemptRefs;
        }

        var retainedIds = after.Snapshots.Select(s => s.SnapshotId).ToHashSet();
        var expired = before.Snapshots.Where(s => !retainedIds.Contains(s.SnapshotId)).ToList();
        var files = cleanFiles && expired.Count > 0
            ? FilesOnlyReachedBy(expired, after)
            : (Lists: new List<string>(), Manifests: new List<string>(), Data: new List<string>(), Deletes: new List<string>());
        if (!_dryRun)
        {
            foreach (var path in files.Data.Concat(files.Deletes).Concat(files.Manifests).Concat(files.Lists)) _table.Io.Delete(path);
        }
        return new ExpireSnapshotsResult(expired.Select(s => s.SnapshotId).ToList(), removedRefs, files.Lists, files.Manifests, files.Data, files.Deletes, _dryRun, filesKept);
    }

    /// <summary>The metadata after expiry at <paramref name="now"/>, and the refs it removes; the input itself when nothing expires.</summary>
    private (TableMetadata Metadata, IReadOnlyList<string> RemovedRefs) Plan(TableMetadata metadata, long now)
    {
        var props = metadata.Properties;
        var defaultOlderThan = _olderThanMs ?? now - Property(props, "history.expire.max-snapshot-age-ms", DefaultMaxSnapshotAgeMs);
        var defaultMinKeep = _retainLast ?? (int)Math.Clamp(Property(props, "history.expire.min-snapshots-to-keep", 1), 1, int.MaxValue);
        var defaultMaxRefAge = Property(props, "history.expire.max-ref-age-ms", long.MaxValue);

        var removedRefs = new List<string>();
        var retained = new HashSet<long>();
        var reachable = new HashSet<long>();
        foreach (var (name, r) in metadata.Refs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var head = metadata.SnapshotById(r.SnapshotId);
            if (head is null) continue;
            var maxRefAge = r.MaxRefAgeMs ?? defaultMaxRefAge;
            if (name != SnapshotRef.MainBranch && maxRefAge != long.MaxValue && now - head.TimestampMs > maxRefAge)
            {
                removedRefs.Add(name);
                continue;
            }
            if (r.Type == SnapshotRefType.Tag)
            {
                retained.Add(head.SnapshotId);
                reachable.Add(head.SnapshotId);
                continue;
            }
            var minKeep = r.MinSnapshotsToKeep ?? defaultMinKeep;
            var olderThan = r.MaxSnapshotAgeMs is { } age ? now - age : defaultOlderThan;
            var kept = 0;
            var keeping = true;
            foreach (var ancestor in SnapshotAncestry.Ancestors(metadata, head))
            {
                reachable.Add(ancestor.SnapshotId);
                keeping = keeping && (kept < minKeep || ancestor.TimestampMs >= olderThan);
                if (!keeping) continue;
                retained.Add(ancestor.SnapshotId);
                kept++;
            }
        }
        // An implicit main (no refs entry) still protects the current snapshot.
        if (metadata.CurrentSnapshotId is { } currentId) retained.Add(currentId);
        foreach (var s in metadata.Snapshots)
        {
            if (!reachable.Contains(s.SnapshotId) && s.TimestampMs >= defaultOlderThan) retained.Add(s.SnapshotId);
        }

        var expired = metadata.Snapshots.Where(s => !retained.Contains(s.SnapshotId)).Select(s => s.SnapshotId).ToHashSet();
        if (expired.Count == 0 && removedRefs.Count == 0) return (metadata, removedRefs);
        var result = metadata;
        foreach (var name in removedRefs) result = MetadataUpdates.RemoveRef(result, name, now);
        return (MetadataUpdates.RemoveSnapshots(result, expired, now), removedRefs);
    }

    /// <summary>
    /// The manifest lists, manifests and content files of <paramref name="expired"/> that no snapshot of
    /// <paramref name="after"/> reaches. When a retained snapshot's manifests cannot be read nothing is returned:
    /// without the full reachable set no deletion is safe (leftovers are orphans for <see cref="RemoveOrphanFiles"/>).
    /// </summary>
    private (List<string> Lists, List<string> Manifests, List<string> Data, List<string> Deletes) FilesOnlyReachedBy(IReadOnlyList<Snapshot> expired, TableMetadata after)
    {
        var io = _table.Io;
        var retainedLists = FileLocations.NewSet();
        var retainedManifests = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        var nothing = (new List<string>(), new List<string>(), new List<string>(), new List<string>());
        try
        {
            foreach (var s in after.Snapshots)
            {
                retainedLists.Add(FileLocations.Key(io, s.ManifestList));
                foreach (var m in ManifestListReader.Read(io, s.ManifestList)) retainedManifests.TryAdd(FileLocations.Key(io, m.ManifestPath), m);
            }
        }
        catch (FloeException e) when (e.Code is FloeErrorCode.NotFound or FloeErrorCode.InvalidData)
        {
            return nothing;
        }

        var lists = new List<string>();
        var candidates = new Dictionary<string, ManifestFile>(StringComparer.Ordinal);
        foreach (var s in expired)
        {
            if (!retainedLists.Contains(FileLocations.Key(io, s.ManifestList))) lists.Add(s.ManifestList);
            IReadOnlyList<ManifestFile> manifests;
            try
            {
                manifests = ManifestListReader.Read(io, s.ManifestList);
            }
            catch (FloeException e) when (e.Code == FloeErrorCode.NotFound)
            {
                continue;
            }
            foreach (var m in manifests)
            {
                var key = FileLocations.Key(io, m.ManifestPath);
                if (!retainedManifests.ContainsKey(key)) candidates.TryAdd(key, m);
            }
        }

        var data = new List<string>();
        var deletes = new List<string>();
        if (candidates.Count > 0)
        {
            var candidateFiles = new Dictionary<string, (string Path, FileContent Content)>(StringComparer.Ordinal);
            foreach (var m in candidates.Values)
            {
                IEnumerable<ManifestEntry> entries = ManifestReader.Read(io, m, after.SpecById, null);
                try
                {
                    foreach (var e in entries) candidateFiles.TryAdd(FileLocations.Key(io, e.DataFile.FilePath), (e.DataFile.FilePath, e.DataFile.Content));
                }
                catch (FloeException e) when (e.Code == FloeErrorCode.NotFound)
                {
                }
            }
            if (candidateFiles.Count > 0)
            {
                try
                {
                    foreach (var m in retainedManifests.Values)
                    {
                        foreach (var e in ManifestReader.Read(io, m, after.SpecById, null))
                        {
                            if (e.Status != ManifestEntryStatus.Deleted) candidateFiles.Remove(FileLocations.Key(io, e.DataFile.FilePath));
                        }
                    }
                }
                catch (FloeException e) when (e.Code is FloeErrorCode.NotFound or FloeErrorCode.InvalidData)
                {
                    return nothing;
                }
            }
            foreach (var (path, content) in candidateFiles.Values)
            {
                (content == FileContent.Data ? data : deletes).Add(path);
            }
        }
        return (lists, candidates.Values.Select(m => m.ManifestPath).ToList(), data, deletes);
    }

    private static long Property(IReadOnlyDictionary<string, string> props, string key, long fallback) =>
        props.TryGetValue(key, out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
