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
    /// bitmaps (a one-column filter on a dictionary-encoded column runs once per dictionary entry instead), and row groups are counted in parallel on <see cref="Threads"/> workers. Files with delete files go through <see cref="ReadBatches"/>.
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
        var threads = Threads;
        var units = threads > 1 ? ScanUnits(direct, threads, readSchema) : null;
        if (units is null)
        {
            foreach (var task in direct) total += CountFile(task, 0, -1, readSchema, filter, rowFilter!);
            return total;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        try
        {
            Parallel.For(0, units.Count, options, () => 0L, (u, _, local) => local + CountFile(direct[units[u].Task], units[u].First, units[u].End, readSchema, filter, rowFilter!), local => Interlocked.Add(ref total, local));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the file's own error (named file/column) rather than the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return total;
    }

    /// <summary>Counts the matching rows of row groups [<paramref name="first"/>, <paramref name="end"/>) of one file (end -1: to the last).</summary>
    private long CountFile(FileScanTask task, int first, int end, Schema readSchema, Expression filter, RowFilter rowFilter)
    {
        using var reader = ParquetDataReader.Open(_table.Io, task.File.FilePath, readSchema, IdentityConstants(task.File, readSchema));
        long count = 0;
        bool[]? keep = null;
        ulong[]? selection = null;
        var inclusive = new InclusiveMetricsEvaluator(filter);
        var strict = new StrictMetricsEvaluator(filter, _table.Metadata.SpecById(task.File.SpecId));
        var last = end < 0 ? reader.RowGroupCount : Math.Min(end, reader.RowGroupCount);
        var pageField = SingleFieldId(filter);
        for (var g = first; g < last; g++)
        {
            // The footer's statistics prune row groups no row of which can match and count those every row of
            // which matches without decoding them.
            var stats = reader.RowGroupMetrics(g);
            var metrics = RowGroupAsFile.Of(task.File, stats);
            if (!inclusive.MayMatch(metrics)) continue;
            if (strict.AllMatch(metrics))
            {
                count += metrics.RecordCount;
                continue;
            }
            if (pageField > 0 && TryCountPages(reader, g, pageField, metrics, filter, inclusive, strict) is { } pageCount)
            {
                count += pageCount;
                continue;
            }
            if (pageField > 0 && DictionaryCounts)
            {
                var rows = reader.RowGroupRows(g);
                if (selection is null || selection.Length < (rows + 63) >> 6) selection = new ulong[(rows + 63) >> 6];
                if (DictionaryPredicate(reader, g, pageField, rowFilter, selection) is var dictionaryCount and >= 0)
                {
                    count += dictionaryCount;
                    continue;
                }
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

    /// <summary>
    /// Counts row group <paramref name="rowGroup"/> page by page from the file's page index when the filter reads one
    /// column: pages whose bounds rule the filter out are skipped, pages it proves true are counted whole, and only
    /// the runs of pages left are decoded. Null when there is no page index, nothing to skip, or a layout the page
    /// path does not cover, so the caller decodes the row group.
    /// </summary>
    private static long? TryCountPages(ParquetDataReader reader, int rowGroup, int fieldId, DataFile groupMetrics, Expression filter, InclusiveMetricsEvaluator inclusive, StrictMetricsEvaluator strict)
    {
        if (reader.PageIndex(rowGroup, fieldId) is not { Count: > 1 } pages) return null;
        // 0: no row can match, 1: every row matches, 2: decode.
        var verdicts = new byte[pages.Count];
        var decided = false;
        for (var i = 0; i < pages.Count; i++)
        {
            var page = pages[i];
            var metrics = groupMetrics with
            {
                RecordCount = page.RowCount,
                NullValueCounts = page.NullCount is { } nulls ? new Dictionary<int, long> { [fieldId] = nulls } : null,
                LowerBounds = page.LowerBound is { } lower ? new Dictionary<int, byte[]> { [fieldId] = lower } : null,
                UpperBounds = page.UpperBound is { } upper ? new Dictionary<int, byte[]> { [fieldId] = upper } : null,
            };
            verdicts[i] = !inclusive.MayMatch(metrics) ? (byte)0 : strict.AllMatch(metrics) ? (byte)1 : (byte)2;
            decided |= verdicts[i] != 2;
        }
        if (!decided) return null;
        var fieldIndex = reader.Projection.Fields.ToList().FindIndex(f => f.Id == fieldId);
        var arrowField = reader.ArrowSchema.FieldsList[fieldIndex];
        var schema = new Apache.Arrow.Schema(new[] { arrowField }, null);
        long count = 0;
        for (var i = 0; i < pages.Count;)
        {
            if (verdicts[i] != 2)
            {
                if (verdicts[i] == 1) count += pages[i].RowCount;
                i++;
                continue;
            }
            var end = i + 1;
            while (end < pages.Count && verdicts[end] == 2) end++;
            if (reader.ReadPages(rowGroup, fieldId, i, end) is not { } column) return null;
            if (!VectorizedFilter.TryCount(filter, new Apache.Arrow.RecordBatch(schema, new[] { column }, column.Length), out var matched)) return null;
            count += matched;
            i = end;
        }
        return count;
    }

    /// <summary>The one field every predicate of <paramref name="filter"/> reads, or 0 when it reads none or several.</summary>
    private static int SingleFieldId(Expression filter)
    {
        var id = 0;
        var single = true;
        Visit(filter);
        return single ? id : 0;

        void Visit(Expression e)
        {
            switch (e)
            {
                case And a:
                    Visit(a.Left);
                    Visit(a.Right);
                    break;
                case Or o:
                    Visit(o.Left);
                    Visit(o.Right);
                    break;
                case BoundPredicate p:
                    if (id == 0) id = p.FieldId;
                    else if (id != p.FieldId) single = false;
                    break;
                case AlwaysTrue or AlwaysFalse:
                    break;
                default:
                    single = false;
                    break;
            }
        }
    }
}
