using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Copy-on-write: each data file holding matching rows is read (existing deletes applied) and rewritten without them,
/// in one <c>overwrite</c> snapshot; delete files scoped to a replaced file go with it.
/// </summary>
internal sealed class CopyOnWriteDeletes : RowDeleteWriter
{
    private readonly RewriteFiles _rewrite;
    private readonly RowFilter _rowFilter;
    private readonly List<PartitionedWriter> _written = new();
    private readonly bool _lineage;
    private readonly TableScan _read;

    public CopyOnWriteDeletes(Table table, TableScan scan, Expression filter, bool serializable)
        : base(table, scan, filter, serializable)
    {
        _rewrite = new RewriteFiles(table, "overwrite", serializable ? filter : null);
        _rowFilter = new RowFilter(filter);
        // In v3 the surviving rows of a rewritten file keep their row ids and sequence numbers (they are unchanged).
        _lineage = table.Metadata.FormatVersion >= 3;
        _read = _lineage ? scan.SelectWithRowLineage() : scan;
    }

    public override void RemoveWhole(FileScanTask task)
    {
        _rewrite.DeleteFile(task.File);
        RemovedFiles++;
        DeletedRows += task.File.RecordCount;
    }

    public override void Delete(FileScanTask task)
    {
        // Read the file's live rows once; write the survivors only if some row matched.
        var survivors = new List<RecordBatch>();
        long matched = 0, live = 0;
        foreach (var batch in _read.ReadBatches(new[] { task }))
        {
            var selection = new bool[batch.Length];
            var hits = _rowFilter.Evaluate(batch, selection);
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
        if (matched == 0) return;
        _rewrite.DeleteFile(task.File);
        foreach (var delete in ScopedDeletes(task)) _rewrite.RemoveDeletes(delete);
        DeletedRows += matched;
        if (matched == live)
        {
            RemovedFiles++;
            return;
        }
        var writer = new PartitionedWriter(Table, _lineage);
        _written.Add(writer);
        foreach (var batch in survivors) writer.Write(batch);
        foreach (var added in writer.Complete())
        {
            _rewrite.AddFile(added);
            BytesWritten += added.FileSizeInBytes;
        }
        ChangedFiles++;
    }

    public override Snapshot Commit(string branch, IReadOnlyDictionary<string, string> summary)
    {
        _rewrite.ToBranch(branch);
        foreach (var (k, v) in summary) _rewrite.Set(k, v);
        return _rewrite.Commit();
    }

    public override void Abort()
    {
        foreach (var writer in _written) writer.Abort();
    }

    public override void Dispose()
    {
        foreach (var writer in _written) writer.Dispose();
    }
}
