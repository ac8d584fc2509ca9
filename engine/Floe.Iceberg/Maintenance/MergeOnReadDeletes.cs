using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Merge-on-read: the positions of matching live rows are found by reading only the filter's columns, then marked
/// by delete files (<see cref="Mark"/>, per format version) in one <c>delete</c> snapshot. A file that loses every
/// live row is removed whole instead, together with the delete files scoped to it.
/// </summary>
internal abstract class MergeOnReadDeletes : RowDeleteWriter
{
    protected MergeOnReadDeletes(Table table, TableScan scan, Expression filter, bool serializable)
        : base(table, scan, filter, serializable)
    {
        Delta = new RowDelta(table);
        if (serializable) Delta.ConflictDetection(filter);
        Loader = new DeleteLoader(table.Io, scan.TableSchema);
        _filtered = scan.Filter(filter);
    }

    private readonly TableScan _filtered;

    protected RowDelta Delta { get; }

    /// <summary>Loads the delete files already applying to a data file (shared across files: a partition's delete file is read once).</summary>
    protected DeleteLoader Loader { get; }

    public override void RemoveWhole(FileScanTask task)
    {
        Delta.RemoveRows(task.File);
        RemovedFiles++;
        DeletedRows += task.File.RecordCount;
    }

    public override void Delete(FileScanTask task)
    {
        var (matched, live) = _filtered.MatchingPositions(task, Loader, allMatch: false);
        if (matched.Count == 0) return;
        DeletedRows += matched.Count;
        if (matched.Count == live)
        {
            Delta.RemoveRows(task.File);
            foreach (var delete in ScopedDeletes(task)) Delta.RemoveDeletes(delete);
            RemovedFiles++;
            return;
        }
        Delta.ReferenceDataFile(task.File.FilePath);
        Mark(task, matched);
        ChangedFiles++;
    }

    /// <summary>Records that rows <paramref name="matched"/> (ascending, live) of <paramref name="task"/>'s file are deleted.</summary>
    protected abstract void Mark(FileScanTask task, List<long> matched);

    /// <summary>Writes the delete files marked so far and returns them.</summary>
    protected abstract IReadOnlyList<DataFile> WriteDeleteFiles();

    public override Snapshot Commit(string branch, IReadOnlyDictionary<string, string> summary)
    {
        foreach (var file in WriteDeleteFiles()) Delta.AddDeletes(file);
        Delta.ToBranch(branch);
        foreach (var (k, v) in summary) Delta.Set(k, v);
        return Delta.Commit();
    }
}
