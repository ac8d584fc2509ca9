using System.Globalization;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>What a row-level delete committed.</summary>
/// <param name="SnapshotId">The new snapshot, or null when no row matched.</param>
/// <param name="RemovedFiles">Data files dropped whole (every live row matched).</param>
/// <param name="RewrittenFiles">Data files rewritten without their matching rows.</param>
/// <param name="DeletedRows">Live rows removed.</param>
public sealed record DeleteRowsResult(long? SnapshotId, int RemovedFiles, int RewrittenFiles, long DeletedRows);

/// <summary>
/// Deletes exactly the rows of a branch that match a filter, copy-on-write: files whose metrics prove every row
/// matches are dropped whole, files that may hold some matching rows are read (with their existing deletes
/// applied) and rewritten without them, all in one <c>overwrite</c> snapshot. Rows where the filter is null
/// (SQL unknown) stay. A concurrent commit that removed a file being rewritten, added delete files, or added files
/// that may match the filter is a conflict; the table then stays at its previous snapshot.
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

    /// <summary>Plans, writes replacement files and commits; returns what was removed.</summary>
    public DeleteRowsResult Execute()
    {
        var metadata = _table.Metadata;
        var hasBranch = metadata.Refs.ContainsKey(_branch);
        if (!hasBranch && _branch != "main") throw Core.Errors.Errors.NotFound($"branch '{_branch}' of table '{_table.Identifier}'");
        if ((hasBranch ? metadata.SnapshotForRef(_branch) : metadata.CurrentSnapshot) is null) return new DeleteRowsResult(null, 0, 0, 0);
        var baseScan = hasBranch ? new TableScan(_table).UseRef(_branch) : new TableScan(_table);
        var (tasks, _) = baseScan.Filter(_filter).PlanFiles();
        // In v3 the surviving rows of a rewritten file keep their row ids and sequence numbers (they are unchanged).
        var lineage = metadata.FormatVersion >= 3;
        if (lineage) baseScan = baseScan.SelectWithRowLineage();
        var rowFilter = new RowFilter(_filter);
        var rewrite = new RewriteFiles(_table, "overwrite", _filter);
        rewrite.ToBranch(_branch);
        var strict = new Dictionary<int, StrictMetricsEvaluator>();
        int removed = 0, rewritten = 0;
        long deletedRows = 0;
        var written = new List<PartitionedWriter>();
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
                if (task.Deletes.Count == 0 && evaluator.AllMatch(file))
                {
                    rewrite.DeleteFile(file);
                    removed++;
                    deletedRows += file.RecordCount;
                    continue;
                }
                // Read the file's live rows once; write the survivors only if some row matched.
                var survivors = new List<RecordBatch>();
                long matched = 0, live = 0;
                foreach (var batch in baseScan.ReadBatches(new[] { task }))
                {
                    var selection = new bool[batch.Length];
                    var hits = rowFilter.Evaluate(batch, selection);
                    live += batch.Length;
                    matched += hits;
                    if (hits == batch.Length) continue;
                    if (hits == 0)
                    {
                        survivors.Add(batch);
                        continue;
                    }
                    var keep = new int[batch.Length - hits];
                    for (int i = 0, j = 0; i < selection.Length; i++)
                    {
                        if (!selection[i]) keep[j++] = i;
                    }
                    survivors.Add(ArrowTake.Take(batch, keep));
                }
                if (matched == 0) continue;
                rewrite.DeleteFile(file);
                deletedRows += matched;
                if (matched == live)
                {
                    removed++;
                    continue;
                }
                var writer = new PartitionedWriter(_table, lineage);
                written.Add(writer);
                foreach (var batch in survivors) writer.Write(batch);
                foreach (var added in writer.Complete()) rewrite.AddFile(added);
                rewritten++;
            }
            if (removed + rewritten == 0) return new DeleteRowsResult(null, 0, 0, 0);
            rewrite.Set(DeletedRowsSummaryKey, deletedRows.ToString(CultureInfo.InvariantCulture));
            foreach (var (k, v) in _summary) rewrite.Set(k, v);
            var snapshot = rewrite.Commit();
            return new DeleteRowsResult(snapshot.SnapshotId, removed, rewritten, deletedRows);
        }
        catch
        {
            // Files written for a commit that did not land are not referenced; remove them so a failure leaves no litter.
            foreach (var writer in written) writer.Abort();
            throw;
        }
        finally
        {
            foreach (var writer in written) writer.Dispose();
        }
    }
}
