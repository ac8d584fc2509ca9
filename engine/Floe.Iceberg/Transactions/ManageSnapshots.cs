using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Branch and tag management (the spec's <c>refs</c>), as Iceberg's ManageSnapshots: create, drop, replace and
/// fast-forward refs. Operations queue up and land together in one metadata-only commit; each retry re-applies
/// them to the fresh metadata, so targets such as "main" resolve to main's head at commit time. Moving main also
/// moves current-snapshot-id and appends to the snapshot log.
/// </summary>
public sealed class ManageSnapshots
{
    private readonly Table _table;
    private readonly List<Func<TableMetadata, long, TableMetadata>> _steps = new();

    /// <summary>Starts a set of ref changes on <paramref name="table"/>.</summary>
    public ManageSnapshots(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>
    /// Creates branch <paramref name="name"/> at <paramref name="from"/> (default main's head) with optional retention:
    /// <c>min-snapshots-to-keep</c>, <c>max-snapshot-age-ms</c>, <c>max-ref-age-ms</c>. AlreadyExists when the name is taken.
    /// </summary>
    public ManageSnapshots CreateBranch(string name, SnapshotTarget? from = null, int? minSnapshotsToKeep = null, long? maxSnapshotAgeMs = null, long? maxRefAgeMs = null)
    {
        CheckName(name);
        CheckPositive("min-snapshots-to-keep", minSnapshotsToKeep);
        CheckPositive("max-snapshot-age-ms", maxSnapshotAgeMs);
        CheckPositive("max-ref-age-ms", maxRefAgeMs);
        _steps.Add((m, now) =>
        {
            if (m.Refs.ContainsKey(name)) throw Errors.AlreadyExists($"{Describe(m, name)} already exists in table '{_table.Identifier}'");
            var snapshot = (from ?? SnapshotTarget.Main).Resolve(m);
            return MetadataUpdates.SetRef(m, name, new SnapshotRef(snapshot.SnapshotId, SnapshotRefType.Branch, minSnapshotsToKeep, maxSnapshotAgeMs, maxRefAgeMs), now);
        });
        return this;
    }

    /// <summary>Creates tag <paramref name="name"/> at <paramref name="from"/> (default main's head), optionally with <c>max-ref-age-ms</c>.</summary>
    public ManageSnapshots CreateTag(string name, SnapshotTarget? from = null, long? maxRefAgeMs = null)
    {
        CheckName(name);
        if (name == SnapshotRef.MainBranch) throw Errors.InvalidArgument("'main' is the main branch and cannot be a tag");
        CheckPositive("max-ref-age-ms", maxRefAgeMs);
        _steps.Add((m, now) =>
        {
            if (m.Refs.ContainsKey(name)) throw Errors.AlreadyExists($"{Describe(m, name)} already exists in table '{_table.Identifier}'");
            var snapshot = (from ?? SnapshotTarget.Main).Resolve(m);
            return MetadataUpdates.SetRef(m, name, new SnapshotRef(snapshot.SnapshotId, SnapshotRefType.Tag, MaxRefAgeMs: maxRefAgeMs), now);
        });
        return this;
    }

    /// <summary>Drops branch <paramref name="name"/> (never main); NotFound when absent, InvalidArgument when it is a tag.</summary>
    public ManageSnapshots DropBranch(string name) => Drop(name, SnapshotRefType.Branch);

    /// <summary>Drops tag <paramref name="name"/>; NotFound when absent, InvalidArgument when it is a branch.</summary>
    public ManageSnapshots DropTag(string name) => Drop(name, SnapshotRefType.Tag);

    /// <summary>Points existing branch <paramref name="name"/> at <paramref name="to"/>'s snapshot (any snapshot, not only descendants); retention settings stay.</summary>
    public ManageSnapshots ReplaceBranch(string name, SnapshotTarget to) => Replace(name, SnapshotRefType.Branch, to);

    /// <summary>Points existing tag <paramref name="name"/> at <paramref name="to"/>'s snapshot.</summary>
    public ManageSnapshots ReplaceTag(string name, SnapshotTarget to) => Replace(name, SnapshotRefType.Tag, to);

    /// <summary>
    /// Iceberg's <c>fast_forward(table, branch, to)</c>: moves <paramref name="branch"/> to <paramref name="to"/>'s
    /// snapshot when the branch's head is an ancestor of it (or equal: nothing changes). A missing branch is created
    /// at <paramref name="to"/>. ValidationFailed when the histories diverged.
    /// </summary>
    public ManageSnapshots FastForward(string branch, SnapshotTarget to)
    {
        CheckName(branch);
        ArgumentNullException.ThrowIfNull(to);
        _steps.Add((m, now) =>
        {
            var target = to.Resolve(m);
            if (!m.Refs.TryGetValue(branch, out var existing))
            {
                if (branch == SnapshotRef.MainBranch && m.CurrentSnapshot is { } current) existing = new SnapshotRef(current.SnapshotId, SnapshotRefType.Branch);
                else return MetadataUpdates.SetRef(m, branch, new SnapshotRef(target.SnapshotId, SnapshotRefType.Branch), now);
            }
            if (existing.Type != SnapshotRefType.Branch) throw Errors.InvalidArgument($"'{branch}' is a tag; only branches can be fast-forwarded");
            if (existing.SnapshotId == target.SnapshotId) return m;
            if (!SnapshotAncestry.IsAncestorOf(m, existing.SnapshotId, target))
            {
                throw Errors.ValidationFailed(
                    $"cannot fast-forward branch '{branch}' of table '{_table.Identifier}' to '{to}': its head {existing.SnapshotId} is not an ancestor of snapshot {target.SnapshotId} (the histories diverged; cherry-pick or replace the branch instead)");
            }
            return MetadataUpdates.SetRef(m, branch, existing with { SnapshotId = target.SnapshotId }, now);
        });
        return this;
    }

    /// <summary>Sets the retention of existing branch <paramref name="name"/>; null arguments keep the current setting.</summary>
    public ManageSnapshots SetBranchRetention(string name, int? minSnapshotsToKeep = null, long? maxSnapshotAgeMs = null, long? maxRefAgeMs = null)
    {
        CheckName(name);
        CheckPositive("min-snapshots-to-keep", minSnapshotsToKeep);
        CheckPositive("max-snapshot-age-ms", maxSnapshotAgeMs);
        CheckPositive("max-ref-age-ms", maxRefAgeMs);
        _steps.Add((m, now) =>
        {
            var existing = Existing(m, name, SnapshotRefType.Branch);
            return MetadataUpdates.SetRef(m, name, existing with
            {
                MinSnapshotsToKeep = minSnapshotsToKeep ?? existing.MinSnapshotsToKeep,
                MaxSnapshotAgeMs = maxSnapshotAgeMs ?? existing.MaxSnapshotAgeMs,
                MaxRefAgeMs = maxRefAgeMs ?? existing.MaxRefAgeMs,
            }, now);
        });
        return this;
    }

    /// <summary>Commits every queued change in one metadata-only commit (with retries); returns the committed metadata.</summary>
    public TableMetadata Commit()
    {
        if (_steps.Count == 0) return _table.Metadata;
        return MetadataCommit.Commit(_table, ApplyTo);
    }

    /// <summary>The table the changes are for, for a <see cref="TableTransaction"/> to check it is its own.</summary>
    internal Table Target => _table;

    /// <summary>Applies every queued change to <paramref name="metadata"/> in order (the same instance when there are none).</summary>
    internal TableMetadata ApplyTo(TableMetadata metadata, long nowMs)
    {
        var result = metadata;
        foreach (var step in _steps) result = step(result, nowMs);
        return result;
    }

    private ManageSnapshots Drop(string name, SnapshotRefType type)
    {
        CheckName(name);
        if (name == SnapshotRef.MainBranch) throw Errors.InvalidArgument("the main branch cannot be dropped");
        _steps.Add((m, now) =>
        {
            Existing(m, name, type);
            return MetadataUpdates.RemoveRef(m, name, now);
        });
        return this;
    }

    private ManageSnapshots Replace(string name, SnapshotRefType type, SnapshotTarget to)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(to);
        _steps.Add((m, now) =>
        {
            var existing = Existing(m, name, type);
            return MetadataUpdates.SetRef(m, name, existing with { SnapshotId = to.Resolve(m).SnapshotId }, now);
        });
        return this;
    }

    private SnapshotRef Existing(TableMetadata m, string name, SnapshotRefType type)
    {
        if (!m.Refs.TryGetValue(name, out var existing))
        {
            if (name == SnapshotRef.MainBranch && type == SnapshotRefType.Branch && m.CurrentSnapshotId is { } current)
            {
                return new SnapshotRef(current, SnapshotRefType.Branch);
            }
            throw Errors.NotFound($"{Kind(type)} '{name}' does not exist in table '{_table.Identifier}' (refs: {string.Join(", ", m.Refs.Keys.Order(StringComparer.Ordinal))})");
        }
        if (existing.Type != type) throw Errors.InvalidArgument($"'{name}' is a {Kind(existing.Type)}, not a {Kind(type)}");
        return existing;
    }

    private static string Describe(TableMetadata m, string name) =>
        m.Refs.TryGetValue(name, out var r) ? $"{Kind(r.Type)} '{name}'" : $"ref '{name}'";

    private static string Kind(SnapshotRefType type) => type == SnapshotRefType.Tag ? "tag" : "branch";

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw Errors.InvalidArgument("ref name is empty");
        if (name.Trim() != name) throw Errors.InvalidArgument($"ref name '{name}' has leading or trailing whitespace");
    }

    private static void CheckPositive(string what, long? value)
    {
        if (value is <= 0) throw Errors.InvalidArgument($"{what} must be positive, got {value}");
    }
}
