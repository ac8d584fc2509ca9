using Floe.Iceberg.Expressions;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Scan;

public sealed partial class TableScan
{
    /// <summary>
    /// Counts the rows of the planned files that match the filter and survive their delete files, reading as little
    /// as it can: a file whose metrics prove every row matches is counted from its record count, a file without
    /// delete files has only the filter's columns decoded and simple comparisons evaluated into SIMD selection
    /// bitmaps, and files are counted in parallel. Files with delete files go through <see cref="ReadBatches"/>.
    /// </summary>
    public long CountRows(IReadOnlyList<FileScanTask> tasks)
    {
        var tableSchema = TableSchema;
        var filter = _filter.RewriteNot();
        var rowFilter = filter is AlwaysTrue ? null : new RowFilter(filter);
        var strict = new Dictionary<int, StrictMetricsEvaluator>();
        var direct = new List<FileScanTask>();
        long total = 0;
        foreach (var task in tasks)
        {
            if (task.Deletes.Count > 0)
            {
                foreach (var batch in ReadBatches(new[] { task })) total += batch.Length;
                continue;
            }
            if (filter is AlwaysTrue)
            {
                total += task.File.RecordCount;
                continue;
            }
            if (!strict.TryGetValue(task.File.SpecId, out var evaluator))
            {
                evaluator = new StrictMetricsEvaluator(_filter, _table.Metadata.SpecById(task.File.SpecId));
                strict[task.File.SpecId] = evaluator;
            }
            if (evaluator.AllMatch(task.File)) total += task.File.RecordCount;
            else direct.Add(task);
        }
        if (direct.Count == 0) return total;
        var readSchema = ReadSchema(tableSchema, new Schema(tableSchema.SchemaId, Array.Empty<NestedField>()), direct, includeFilterColumns: true);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            Parallel.For(0, direct.Count, options, () => 0L, (t, _, local) => local + CountFile(direct[t], readSchema, filter, rowFilter!), local => Interlocked.Add(ref total, local));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the file's own error (named file/column) rather than the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return total;
    }

    private long CountFile(FileScanTask task, Schema readSchema, Expression filter, RowFilter rowFilter)
    {
        using var reader = ParquetDataReader.Open(_table.Io, task.File.FilePath, readSchema, IdentityConstants(task.File, readSchema));
        long count = 0;
        bool[]? keep = null;
        var inclusive = new InclusiveMetricsEvaluator(filter);
        var strict = new StrictMetricsEvaluator(filter, _table.Metadata.SpecById(task.File.SpecId));
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            // The footer's statistics prune row groups no row of which can match and count those every row of
            // which matches without decoding them.
            var stats = reader.RowGroupMetrics(g);
            var metrics = task.File with
            {
                RecordCount = stats.RecordCount,
                NullValueCounts = stats.NullValueCounts,
                ValueCounts = null,
                NanValueCounts = null,
                ColumnSizes = null,
                LowerBounds = stats.LowerBounds,
                UpperBounds = stats.UpperBounds,
            };
            if (!inclusive.MayMatch(metrics)) continue;
            if (strict.AllMatch(metrics))
            {
                count += metrics.RecordCount;
                continue;
            }
            var batch = reader.ReadRowGroup(g).Batch;
            if (VectorizedFilter.TryCount(filter, batch, out var matched))
            {
                count += matched;
                continue;
            }
            if (keep is null || keep.Length < batch.Length) keep = new bool[batch.Length];
            count += rowFilter.Evaluate(batch, keep);
        }
        return count;
    }
}
