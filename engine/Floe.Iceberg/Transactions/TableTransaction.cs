using Floe.Core.Errors;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Several operations on one table committed as one: appends, overwrites, deletes, ref changes and property changes
/// run in order, each on top of the result of the ones before, and land in a single metadata commit (one
/// <see cref="TableCommit"/> whose requirements are checked against the base the transaction started from). Either
/// all of them are visible or none is; a lost race redoes them all from the fresh base, and the files of attempts
/// that did not land are deleted. Typical use: write a backfill's snapshot and tag it in the same commit, so no
/// reader ever sees the snapshot untagged.
/// </summary>
public sealed class TableTransaction
{
    private readonly Table _table;
    private readonly List<object> _actions = new();

    /// <summary>Starts an empty transaction on <paramref name="table"/>.</summary>
    public TableTransaction(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>Adds a snapshot-producing operation built on this transaction's table (not committed by itself).</summary>
    public TableTransaction Add(SnapshotProducer operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!ReferenceEquals(operation.Target, _table)) throw Errors.InvalidArgument("an operation in a transaction must be built on the transaction's table");
        _actions.Add(operation);
        return this;
    }

    /// <summary>Adds queued branch and tag changes built on this transaction's table.</summary>
    public TableTransaction Add(ManageSnapshots refs)
    {
        ArgumentNullException.ThrowIfNull(refs);
        if (!ReferenceEquals(refs.Target, _table)) throw Errors.InvalidArgument("ref changes in a transaction must be built on the transaction's table");
        _actions.Add((Func<TableMetadata, long, TableMetadata>)refs.ApplyTo);
        return this;
    }

    /// <summary>Sets table properties (the same keys and values a <c>set-properties</c> update carries).</summary>
    public TableTransaction SetProperties(IReadOnlyDictionary<string, string> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var copy = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        _actions.Add((Func<TableMetadata, long, TableMetadata>)((metadata, now) => new SetProperties(copy).Apply(metadata, now)));
        return this;
    }

    /// <summary>
    /// Commits every action in one metadata commit, with the table's retry policy; returns the committed metadata and
    /// refreshes the table. Nothing is committed when any action fails.
    /// </summary>
    public TableMetadata Commit()
    {
        if (_actions.Count == 0) return _table.Metadata;
        var starting = new long?[_actions.Count];
        for (var i = 0; i < _actions.Count; i++) starting[i] = (_actions[i] as SnapshotProducer)?.StartingSnapshotId();
        var staged = new Snapshot?[_actions.Count];
        TableMetadata committed;
        try
        {
            committed = CommitRetries.Run(_table, () => CommitOnce(starting, staged));
        }
        catch
        {
            foreach (var action in _actions) (action as SnapshotProducer)?.Finish(committed: null);
            throw;
        }
        for (var i = 0; i < _actions.Count; i++)
        {
            if (_actions[i] is not SnapshotProducer producer) continue;
            producer.Remember(staged[i]!);
            producer.Finish(staged[i]);
        }
        return committed;
    }

    private TableMetadata CommitOnce(long?[] starting, Snapshot?[] staged)
    {
        var (metadata, location) = _table.Operations.Refresh();
        _table.Update(metadata, location);
        var now = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), metadata.LastUpdatedMs + 1);
        // Each operation is validated against the base the transaction started from: the transaction's own earlier
        // operations are part of what it means, not concurrent changes.
        for (var i = 0; i < _actions.Count; i++) (_actions[i] as SnapshotProducer)?.ValidateOn(metadata, location, starting[i]);
        var working = metadata;
        var combined = new CombinedCommit();
        for (var i = 0; i < _actions.Count; i++)
        {
            TableCommit commit;
            if (_actions[i] is SnapshotProducer producer)
            {
                var stage = producer.Stage(working, location, starting[i], validate: false);
                staged[i] = stage.Snapshot;
                commit = stage.Commit;
                now = Math.Max(now, stage.NowMs);
            }
            else
            {
                var updated = ((Func<TableMetadata, long, TableMetadata>)_actions[i])(working, now);
                if (ReferenceEquals(updated, working)) continue;
                commit = MetadataDiff.Between(working, updated);
            }
            // Each action's requirements hold against the working metadata by construction; the ones that say
            // something about the base are those on refs no earlier action has touched.
            combined.Add(commit);
            working = commit.Apply(working, _table.Identifier.ToString(), now);
        }
        if (combined.IsEmpty) return metadata;
        var newLocation = _table.Operations.Commit(metadata, location, combined.ToCommit(), now);
        try
        {
            _table.Update(_table.Operations.Refresh().Metadata, newLocation);
        }
        catch (Exception e) when (e is FloeException or IOException or UnauthorizedAccessException)
        {
            // Committed: the table view stays at the base and the next refresh sees the commit.
        }
        return _table.Metadata;
    }

    /// <summary>Concatenates the actions' commits, keeping only the requirements that constrain the starting base.</summary>
    private sealed class CombinedCommit
    {
        private readonly List<TableRequirement> _requirements = new();
        private readonly List<TableUpdate> _updates = new();
        private readonly HashSet<string> _refsSeen = new(StringComparer.Ordinal);
        private bool _uuidAsserted;

        public bool IsEmpty => _updates.Count == 0;

        public void Add(TableCommit commit)
        {
            foreach (var requirement in commit.Requirements)
            {
                switch (requirement)
                {
                    case AssertTableUuid when _uuidAsserted:
                        continue;
                    case AssertTableUuid:
                        _uuidAsserted = true;
                        break;
                    case AssertRefSnapshotId r when !_refsSeen.Add(r.RefName):
                        continue;
                }
                _requirements.Add(requirement);
            }
            foreach (var update in commit.Updates)
            {
                switch (update)
                {
                    case SetSnapshotRef set:
                        _refsSeen.Add(set.RefName);
                        break;
                    case RemoveSnapshotRef remove:
                        _refsSeen.Add(remove.RefName);
                        break;
                }
                _updates.Add(update);
            }
        }

        public TableCommit ToCommit() => new(_requirements, _updates);
    }
}
