using System.Globalization;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions;

namespace Floe.Application.Tables;

/// <summary>
/// Branches, tags, fast-forward and cherry-pick over a warehouse's tables. Targets (<c>from</c>, <c>to</c>) are
/// text naming a branch, a tag or a snapshot id; a ref of that name wins over a snapshot id.
/// </summary>
public sealed class RefService
{
    /// <summary>Creates the service over <paramref name="warehouse"/>.</summary>
    public RefService(Warehouse warehouse) => Warehouse = warehouse;

    /// <summary>The warehouse.</summary>
    public Warehouse Warehouse { get; }

    /// <summary>Creates branch <paramref name="name"/> at <paramref name="from"/> (default main's head).</summary>
    public RefDescription CreateBranch(string table, string name, string? from = null, int? minSnapshotsToKeep = null, long? maxSnapshotAgeMs = null, long? maxRefAgeMs = null)
    {
        var t = Load(table);
        var metadata = new ManageSnapshots(t).CreateBranch(name, Target(from), minSnapshotsToKeep, maxSnapshotAgeMs, maxRefAgeMs).Commit();
        return Describe(metadata, name);
    }

    /// <summary>Creates tag <paramref name="name"/> at <paramref name="from"/> (default main's head).</summary>
    public RefDescription CreateTag(string table, string name, string? from = null, long? maxRefAgeMs = null)
    {
        var metadata = new ManageSnapshots(Load(table)).CreateTag(name, Target(from), maxRefAgeMs).Commit();
        return Describe(metadata, name);
    }

    /// <summary>The table's refs of <paramref name="type"/> (all when null), main first, then by name.</summary>
    public IReadOnlyList<RefDescription> List(string table, SnapshotRefType? type = null)
    {
        var metadata = Load(table).Metadata;
        return metadata.Refs
            .Where(r => type is null || r.Value.Type == type)
            .OrderBy(r => r.Key == SnapshotRef.MainBranch ? 0 : 1).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => RefDescription.Of(r.Key, r.Value, metadata))
            .ToList();
    }

    /// <summary>Drops branch or tag <paramref name="name"/> (never main).</summary>
    public void Drop(string table, string name, SnapshotRefType type)
    {
        var manage = new ManageSnapshots(Load(table));
        (type == SnapshotRefType.Tag ? manage.DropTag(name) : manage.DropBranch(name)).Commit();
    }

    /// <summary>Points existing branch or tag <paramref name="name"/> at <paramref name="to"/>.</summary>
    public RefDescription Replace(string table, string name, SnapshotRefType type, string to)
    {
        var manage = new ManageSnapshots(Load(table));
        var target = SnapshotTarget.Parse(to);
        var metadata = (type == SnapshotRefType.Tag ? manage.ReplaceTag(name, target) : manage.ReplaceBranch(name, target)).Commit();
        return Describe(metadata, name);
    }

    /// <summary>Fast-forwards <paramref name="branch"/> to <paramref name="to"/> (created there when missing).</summary>
    public RefDescription FastForward(string table, string branch, string to)
    {
        var metadata = new ManageSnapshots(Load(table)).FastForward(branch, SnapshotTarget.Parse(to)).Commit();
        return Describe(metadata, branch);
    }

    /// <summary>Cherry-picks snapshot <paramref name="snapshot"/> (an id) onto <paramref name="branch"/> (default main).</summary>
    public SnapshotDescription CherryPick(string table, string snapshot, string? branch = null)
    {
        if (!long.TryParse(snapshot.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            throw Errors.InvalidArgument($"'{snapshot}' is not a snapshot id");
        }
        var t = Load(table);
        var pick = new CherryPick(t, id);
        if (!string.IsNullOrWhiteSpace(branch)) pick.ToBranch(branch);
        var result = pick.Commit();
        return SnapshotDescription.Of(result, t.Refresh().Metadata);
    }

    private Table Load(string table) => Warehouse.LoadTable(TableIdentifier.Parse(table));

    private static SnapshotTarget? Target(string? text) => string.IsNullOrWhiteSpace(text) ? null : SnapshotTarget.Parse(text);

    private static RefDescription Describe(TableMetadata metadata, string name) =>
        metadata.Refs.TryGetValue(name, out var r)
            ? RefDescription.Of(name, r, metadata)
            : RefDescription.Of(name, new SnapshotRef(metadata.CurrentSnapshotId ?? -1, SnapshotRefType.Branch), metadata);
}
