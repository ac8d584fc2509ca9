using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// A snapshot built on top of some metadata but not yet committed: its manifests and manifest list are written,
/// and <paramref name="Commit"/> is what adding it would take.
/// </summary>
/// <param name="Snapshot">The new snapshot.</param>
/// <param name="Commit">The requirements and updates that add it and move its branch.</param>
/// <param name="NowMs">The commit time the snapshot was stamped with.</param>
internal sealed record StagedSnapshot(Snapshot Snapshot, TableCommit Commit, long NowMs);
