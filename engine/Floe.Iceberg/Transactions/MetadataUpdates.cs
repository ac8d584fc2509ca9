using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>Pure functions that derive new table metadata from old (no I/O).</summary>
public static class MetadataUpdates
{
    /// <summary>Makes <paramref name="snapshotId"/> the current snapshot of main, logging the change.</summary>
    public static TableMetadata SetMain(TableMetadata metadata, long snapshotId, long nowMs)
    {
        var refs = new Dictionary<string, SnapshotRef>(metadata.Refs, StringComparer.Ordinal);
        refs[SnapshotRef.MainBranch] = refs.TryGetValue(SnapshotRef.MainBranch, out var main)
            ? main with { SnapshotId = snapshotId }
            : new SnapshotRef(snapshotId, SnapshotRefType.Branch);
        return metadata with
        {
            Refs = refs,
            CurrentSnapshotId = snapshotId,
            SnapshotLog = new List<SnapshotLogEntry>(metadata.SnapshotLog) { new(nowMs, snapshotId) },
            LastUpdatedMs = nowMs,
        };
    }

    /// <summary>
    /// Sets ref <paramref name="name"/> to <paramref name="reference"/> (creating or replacing it). Moving main also
    /// moves current-snapshot-id and logs the change. Returns <paramref name="metadata"/> itself when nothing changes.
    /// </summary>
    public static TableMetadata SetRef(TableMetadata metadata, string name, SnapshotRef reference, long nowMs)
    {
        if (metadata.SnapshotById(reference.SnapshotId) is null)
        {
            throw Floe.Core.Errors.Errors.NotFound($"snapshot {reference.SnapshotId} is not in the table's metadata");
        }
        if (metadata.Refs.TryGetValue(name, out var existing) && existing == reference &&
            (name != SnapshotRef.MainBranch || metadata.CurrentSnapshotId == reference.SnapshotId))
        {
            return metadata;
        }
        var refs = new Dictionary<string, SnapshotRef>(metadata.Refs, StringComparer.Ordinal) { [name] = reference };
        var result = metadata with { Refs = refs, LastUpdatedMs = nowMs };
        if (name != SnapshotRef.MainBranch || metadata.CurrentSnapshotId == reference.SnapshotId) return result;
        return result with
        {
            CurrentSnapshotId = reference.SnapshotId,
            SnapshotLog = new List<SnapshotLogEntry>(metadata.SnapshotLog) { new(nowMs, reference.SnapshotId) },
        };
    }

    /// <summary>Removes ref <paramref name="name"/> (main cannot be removed); returns the input when it is absent.</summary>
    public static TableMetadata RemoveRef(TableMetadata metadata, string name, long nowMs)
    {
        if (name == SnapshotRef.MainBranch) throw Floe.Core.Errors.Errors.InvalidArgument("the main branch cannot be dropped");
        if (!metadata.Refs.ContainsKey(name)) return metadata;
        var refs = new Dictionary<string, SnapshotRef>(metadata.Refs, StringComparer.Ordinal);
        refs.Remove(name);
        return metadata with { Refs = refs, LastUpdatedMs = nowMs };
    }

    /// <summary>
    /// Removes the snapshots in <paramref name="ids"/> and any ref pointing at one of them. The snapshot log keeps
    /// only the entries after the last removed one, as Java does: a gap would make time travel into it answer
    /// with the wrong snapshot.
    /// </summary>
    public static TableMetadata RemoveSnapshots(TableMetadata metadata, IReadOnlySet<long> ids, long nowMs)
    {
        if (ids.Count == 0) return metadata;
        var snapshots = metadata.Snapshots.Where(s => !ids.Contains(s.SnapshotId)).ToList();
        var refs = new Dictionary<string, SnapshotRef>(StringComparer.Ordinal);
        foreach (var (name, r) in metadata.Refs)
        {
            if (ids.Contains(r.SnapshotId))
            {
                if (name == SnapshotRef.MainBranch) throw Floe.Core.Errors.Errors.InvalidArgument($"snapshot {r.SnapshotId} is the head of main and cannot be removed");
                continue;
            }
            refs[name] = r;
        }
        var remaining = snapshots.Select(s => s.SnapshotId).ToHashSet();
        var log = new List<SnapshotLogEntry>();
        foreach (var entry in metadata.SnapshotLog)
        {
            if (!remaining.Contains(entry.SnapshotId)) log.Clear();
            else log.Add(entry);
        }
        return metadata with { Snapshots = snapshots, Refs = refs, SnapshotLog = log, LastUpdatedMs = nowMs };
    }
}
