using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tables;

namespace Floe.Application.Maintenance;

/// <summary>
/// Table maintenance over a warehouse: snapshot expiry, orphan-file removal, compaction. Timestamps are text
/// (ISO-8601, UTC unless it carries an offset, or epoch milliseconds); filters use the scan filter syntax.
/// </summary>
public sealed class MaintenanceService
{
    /// <summary>Creates the service over <paramref name="warehouse"/>.</summary>
    public MaintenanceService(Warehouse warehouse) => Warehouse = warehouse;

    /// <summary>The warehouse.</summary>
    public Warehouse Warehouse { get; }

    /// <summary>
    /// Expires snapshots older than <paramref name="olderThan"/> and/or beyond the newest <paramref name="retainLast"/>
    /// per branch. A registered table's files are kept unless <paramref name="deleteRegisteredFiles"/>.
    /// </summary>
    public ExpireSnapshotsResult ExpireSnapshots(string table, string? olderThan = null, int? retainLast = null, bool dryRun = false, bool deleteRegisteredFiles = false)
    {
        var expire = new ExpireSnapshots(Load(table, deleteRegisteredFiles)).DryRun(dryRun);
        if (!string.IsNullOrWhiteSpace(olderThan)) expire.ExpireOlderThan(SnapshotSelector.ParseTimestampMs(olderThan));
        if (retainLast is { } n) expire.RetainLast(n);
        return expire.Execute();
    }

    /// <summary>
    /// Removes files under the table location that no metadata references and that are older than
    /// <paramref name="olderThan"/> (default 3 days ago). A registered table is refused (dry runs aside) unless
    /// <paramref name="deleteRegisteredFiles"/>.
    /// </summary>
    public RemoveOrphanFilesResult RemoveOrphans(string table, string? olderThan = null, bool dryRun = false, bool deleteRegisteredFiles = false)
    {
        var remove = new RemoveOrphanFiles(Load(table, deleteRegisteredFiles)).DryRun(dryRun);
        if (!string.IsNullOrWhiteSpace(olderThan)) remove.OlderThan(SnapshotSelector.ParseTimestampMs(olderThan));
        return remove.Execute();
    }

    /// <summary>Verifies that the files the current snapshot (or every snapshot) references exist and are whole.</summary>
    public CheckFilesResult Check(string table, bool allSnapshots = false) => new CheckFiles(Load(table)).Execute(allSnapshots);

    /// <summary>Compacts small data files of the partitions <paramref name="filter"/> selects (all when null).</summary>
    public RewriteDataFilesResult Compact(string table, string? filter = null, long? targetFileSizeBytes = null, long? minFileSizeBytes = null, int? minInputFiles = null)
    {
        var t = Load(table);
        var rewrite = new RewriteDataFiles(t);
        if (!string.IsNullOrWhiteSpace(filter)) rewrite.Filter(ExpressionParser.Parse(filter, t.Schema));
        if (targetFileSizeBytes is { } target) rewrite.TargetFileSizeBytes(target);
        if (minFileSizeBytes is { } min) rewrite.MinFileSizeBytes(min);
        if (minInputFiles is { } count) rewrite.MinInputFiles(count);
        return rewrite.Execute();
    }

    private Table Load(string table, bool deleteRegisteredFiles = false) =>
        Warehouse.LoadTable(TableIdentifier.Parse(table ?? throw Errors.InvalidArgument("table name is empty")), deleteRegisteredFiles);
}
