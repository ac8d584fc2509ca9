using System.Globalization;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tables;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>What a row-level delete committed.</summary>
/// <param name="SnapshotId">The new snapshot, or null when no row matched.</param>
/// <param name="RemovedFiles">Data files dropped whole (every live row matched).</param>
/// <param name="RewrittenFiles">Data files that kept some rows: rewritten without the matching ones (copy-on-write)
/// or given deletes marking them (merge-on-read).</param>
/// <param name="DeletedRows">Live rows removed.</param>
/// <param name="DeleteFiles">Position delete files or deletion vectors written (merge-on-read).</param>
/// <param name="BytesWritten">Bytes of data, delete and Puffin files written.</param>
/// <param name="Mode">How the rows went: the table's <c>write.delete.mode</c> (v1 tables always copy-on-write).</param>
public sealed record DeleteRowsResult(long? SnapshotId, int RemovedFiles, int RewrittenFiles, long DeletedRows,
    int DeleteFiles = 0, long BytesWritten = 0, RowDeleteMode Mode = RowDeleteMode.CopyOnWrite);

/// <summary>
/// Deletes exactly the rows of a branch that match a filter. Files whose metrics prove every row matches (and that
/// have no deletes) are dropped whole; files that may hold some matching rows are read (with their existing deletes
/// applied) and, as the table property <c>write.delete.mode</c> says, rewritten without those rows (copy-on-write,
/// an <c>overwrite</c> snapshot) or marked by position delete files (v2) or deletion vectors (v3) (merge-on-read, a
/// <c>delete</c> snapshot); <see cref="RowDeleteWriter"/> is where that choice is made. Rows where the filter is null
/// (SQL unknown) stay. A concurrent commit that removed a file being changed or added deletes for it is a conflict;
/// so, under serializable isolation (<c>write.delete.isolation-level</c>, the default), is one that added files that
/// may match the filter. The table then stays at its previous snapshot.
/// </summary>
public sealed class DeleteRows
{
    /// <summary>Snapshot summary key holding the number of rows this delete removed.</summary>
    public const string DeletedRowsSummaryKey = "floe.deleted-rows";

    private readonly Table _table;
    private readonly Expression _filter;
    private string _branch = "main";
    private readonly Dictionary<string, string> _summary = new(StringComparer.Ordinal);

    /// <summary>Creates a delete of the rows of <paramref name="table"/> matching <paramref name="filter"/>.</summary>
    public DeleteRows(Table table, Expression filter)
    {
        _table = table;
        _filter = filter;
    }

    /// <summary>Deletes on <paramref name="branch"/> instead of main.</summary>
    public DeleteRows ToBranch(string branch)
    {
        _branch = branch;
        return this;
    }

    /// <summary>Adds a snapshot summary property.</summary>
    public DeleteRows Set(string key, string value)
    {
        _summary[key] = value;
        return this;
    }

    /// <summary>Plans, writes replacement or delete files and commits; returns what was removed.</summary>
    public DeleteRowsResult Execute()
    {
        var metadata = _table.Metadata;
        var hasBranch = metadata.Refs.ContainsKey(_branch);
        if (!hasBranch && _branch != "main") throw Core.Errors.Errors.NotFound($"branch '{_branch}' of table '{_table.Identifier}'");
        if ((hasBranch ? metadata.SnapshotForRef(_branch) : metadata.CurrentSnapshot) is null) return new DeleteRowsResult(null, 0, 0, 0);
        var baseScan = hasBranch ? new TableScan(_table).UseRef(_branch) : new TableScan(_table);
        var (tasks, _) = baseScan.Filter(_filter).PlanFiles();
        var mode = metadata.FormatVersion >= 2 ? RowDeleteProperties.ModeOf(metadata.Properties) : RowDeleteMode.CopyOnWrite;
        using var writer = RowDeleteWriter.For(_table, baseScan, _filter);
        var strict = new Dictionary<int, StrictMetricsEvaluator>();
        try
        {
            foreach (var task in tasks)
            {
                var file = task.File;
                if (!strict.TryGetValue(file.SpecId, out var evaluator))
                {
                    evaluator = new StrictMetricsEvaluator(_filter, metadata.SpecById(file.SpecId));
                    strict[file.SpecId] = evaluator;
                }
                if (task.Deletes.Count == 0 && evaluator.AllMatch(file)) writer.RemoveWhole(task);
                else writer.Delete(task);
            }
            if (!writer.HasChanges) return new DeleteRowsResult(null, 0, 0, 0, Mode: mode);
            var summary = new Dictionary<string, string>(_summary, StringComparer.Ordinal)
            {
                [DeletedRowsSummaryKey] = writer.DeletedRows.ToString(CultureInfo.InvariantCulture),
            };
            var snapshot = writer.Commit(_branch, summary);
            return new DeleteRowsResult(snapshot.SnapshotId, writer.RemovedFiles, writer.ChangedFiles, writer.DeletedRows,
                writer.DeleteFilesWritten, writer.BytesWritten, mode);
        }
        catch
        {
            // Files written for a commit that did not land are not referenced; remove them so a failure leaves no litter.
            writer.Abort();
            throw;
        }
    }
}
