using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// The one point where a row-level delete's physical form is chosen: <see cref="For"/> picks copy-on-write (rewrite
/// data files), position delete files (merge-on-read, v2) or deletion vectors (merge-on-read, v3) from the table's
/// format version and <c>write.delete.mode</c>. <see cref="DeleteRows"/> plans the files and hands each to the writer;
/// the writer marks or rewrites, then commits one snapshot. A writer belongs to one delete and one thread.
/// </summary>
internal abstract class RowDeleteWriter : IDisposable
{
    protected RowDeleteWriter(Table table, TableScan scan, Expression filter, bool serializable)
    {
        Table = table;
        Scan = scan;
        Filter = filter;
        Serializable = serializable;
    }

    protected Table Table { get; }

    /// <summary>The unfiltered scan of the branch head; it reads the files' live rows.</summary>
    protected TableScan Scan { get; }

    protected Expression Filter { get; }

    /// <summary>Serializable isolation: concurrently appended files that may match the filter are a conflict.</summary>
    protected bool Serializable { get; }

    /// <summary>Data files dropped whole.</summary>
    public int RemovedFiles { get; protected set; }

    /// <summary>Data files that kept some rows: rewritten (copy-on-write) or given new deletes (merge-on-read).</summary>
    public int ChangedFiles { get; protected set; }

    /// <summary>Delete files and deletion vectors written.</summary>
    public int DeleteFilesWritten { get; protected set; }

    /// <summary>Bytes of data files, delete files and Puffin files written.</summary>
    public long BytesWritten { get; protected set; }

    /// <summary>Live rows deleted.</summary>
    public long DeletedRows { get; protected set; }

    /// <summary>The writer for <paramref name="table"/>'s format version and delete mode.</summary>
    public static RowDeleteWriter For(Table table, TableScan scan, Expression filter)
    {
        var metadata = table.Metadata;
        var serializable = RowDeleteProperties.IsSerializable(metadata.Properties);
        if (RowDeleteProperties.ModeOf(metadata.Properties) == RowDeleteMode.CopyOnWrite || metadata.FormatVersion < 2)
        {
            // Format v1 has no delete files: merge-on-read falls back to rewriting, as Java refuses it there.
            return new CopyOnWriteDeletes(table, scan, filter, serializable);
        }
        return metadata.FormatVersion >= 3
            ? new DeletionVectorDeletes(table, scan, filter, serializable)
            : new PositionDeleteFileDeletes(table, scan, filter, serializable);
    }

    /// <summary>Drops <paramref name="task"/>'s data file whole: metrics prove every row matches and it has no deletes.</summary>
    public abstract void RemoveWhole(FileScanTask task);

    /// <summary>Deletes the rows of <paramref name="task"/>'s data file that match the filter, if any.</summary>
    public abstract void Delete(FileScanTask task);

    /// <summary>Whether anything was deleted (a commit is due).</summary>
    public bool HasChanges => RemovedFiles + ChangedFiles > 0;

    /// <summary>Commits one snapshot to <paramref name="branch"/> with <paramref name="summary"/> added to its summary.</summary>
    public abstract Snapshot Commit(string branch, IReadOnlyDictionary<string, string> summary);

    /// <summary>Deletes the files written for a delete that did not commit.</summary>
    public abstract void Abort();

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }

    /// <summary>
    /// The delete files of <paramref name="task"/> scoped to its data file alone (deletion vectors, single-file position
    /// deletes): dangling once that file is removed, superseded once a new deletion vector absorbs them.
    /// </summary>
    protected static IEnumerable<DataFile> ScopedDeletes(FileScanTask task)
    {
        foreach (var delete in task.Deletes)
        {
            if (delete.Content == FileContent.PositionDeletes && delete.ReferencedDataFile == task.File.FilePath) yield return delete;
        }
    }
}
