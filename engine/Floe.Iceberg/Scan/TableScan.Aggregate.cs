using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Spec;
using Floe.Kernels.Bitmaps;
using Floe.Parquet;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

public sealed partial class TableScan
{
    /// <summary>
    /// Computes <paramref name="calls"/> over the rows of the planned files that match the filter and survive their
    /// delete files, answering from statistics wherever they prove the answer. A file without delete files whose
    /// metrics prove the filter true for every row is answered from its manifest entry when the entry proves every
    /// call: record count for <c>count(*)</c>, record count minus null count for <c>count(col)</c>, lower/upper
    /// bounds for min/max of numeric and temporal columns (float and double only with a NaN count of 0), and sums
    /// only of all-null columns. Other files are read row group by row group, in parallel on <see cref="Threads"/>
    /// workers: row groups the footer statistics rule out are skipped, row groups they prove are answered from them
    /// the same way (except min/max of float and double, whose NaN the footer does not count), and the rest decode
    /// only the filter's and the aggregated columns and reduce them with SIMD kernels over a selection bitmap
    /// (integer sums exact, floating sums compensated). Files with delete files go through <see cref="ReadBatches"/>.
    /// With <paramref name="useStatistics"/> false every value is decoded (to check the statistics against).
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for an unknown column; Unsupported for an aggregate the
    /// column's type does not have (sum and avg of non-numeric columns, min and max of strings, decimals and nested
    /// types) or an integer sum beyond a 96-bit decimal.</exception>
    public ScanAggregates Aggregate(IReadOnlyList<FileScanTask> tasks, IReadOnlyList<AggregateCall> calls, bool useStatistics = true)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0) throw Errors.InvalidArgument("no aggregate to compute");
        var tableSchema = TableSchema;
        var (columns, slots) = AggregateColumns(tableSchema, calls);
        var total = new AggregateState(columns);
        var strict = new Dictionary<int, StrictMetricsEvaluator>();
        var decode = new List<FileScanTask>();
        var withDeletes = new List<FileScanTask>();
        var filesFromStatistics = 0;
        foreach (var task in tasks)
        {
            if (task.Deletes.Count > 0)
            {
                withDeletes.Add(task);
                continue;
            }
            if (useStatistics && ProvenForFile(task.File, strict) && total.TryFoldMetrics(task.File, fileLevel: true))
            {
                filesFromStatistics++;
                continue;
            }
            decode.Add(task);
        }
        var rowGroupsFromStatistics = 0;
        var rowGroupsDecoded = 0;
        if (decode.Count > 0)
        {
            if (columns.Length == 0 && useStatistics)
            {
                // count(*) alone: the count path has dictionary predicates and page pruning for what is left.
                total.Rows += CountRows(decode);
            }
            else
            {
                (rowGroupsFromStatistics, rowGroupsDecoded) = AggregateDecoded(decode, tableSchema, columns, total, useStatistics);
            }
        }
        if (withDeletes.Count > 0) AggregateWithDeletes(withDeletes, columns, total);
        var values = new AggregateValue[calls.Count];
        for (var i = 0; i < calls.Count; i++) values[i] = total.Result(calls[i], slots[i]);
        return new ScanAggregates(values, filesFromStatistics, rowGroupsFromStatistics, rowGroupsDecoded, withDeletes.Count);
    }

    /// <summary>The distinct aggregated columns with what each needs, and for each call its column's index (-1 for count(*)).</summary>
    private static (AggregateColumn[] Columns, int[] Slots) AggregateColumns(Schema schema, IReadOnlyList<AggregateCall> calls)
    {
        var columns = new List<AggregateColumn>();
        var slots = new int[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            if (call.Column is null)
            {
                if (call.Function != AggregateFunction.Count) throw Errors.InvalidArgument($"{call}: only count takes *");
                slots[i] = -1;
                continue;
            }
            var field = schema.Fields.FirstOrDefault(f => f.Name == call.Column)
                ?? throw Errors.InvalidArgument($"{call}: no top-level column {call.Column} in the table schema");
            var sum = call.Function is AggregateFunction.Sum or AggregateFunction.Avg;
            var minMax = call.Function is AggregateFunction.Min or AggregateFunction.Max;
            if (sum || minMax)
            {
                var id = (field.Type as PrimitiveType)?.Id;
                var ok = sum
                    ? id is TypeId.Int or TypeId.Long or TypeId.Float or TypeId.Double
                    : id is TypeId.Int or TypeId.Long or TypeId.Float or TypeId.Double or TypeId.Date or TypeId.Time
                        or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs;
                if (!ok) throw Errors.Unsupported($"{call}: {call.Function.ToString().ToLowerInvariant()} of a {field.Type} column is not supported");
            }
            var at = columns.FindIndex(c => c.FieldId == field.Id);
            if (at < 0)
            {
                columns.Add(new AggregateColumn(field.Id, field.Name, field.Type as PrimitiveType ?? PrimitiveType.Long, sum, minMax));
                at = columns.Count - 1;
            }
            else
            {
                columns[at] = columns[at] with { Sum = columns[at].Sum || sum, MinMax = columns[at].MinMax || minMax };
            }
            slots[i] = at;
        }
        return (columns.ToArray(), slots);
    }

    private bool ProvenForFile(DataFile file, Dictionary<int, StrictMetricsEvaluator> strict)
    {
        if (_filter is AlwaysTrue) return true;
        if (!strict.TryGetValue(file.SpecId, out var evaluator))
        {
            evaluator = new StrictMetricsEvaluator(_filter, _table.Metadata.SpecById(file.SpecId));
            strict[file.SpecId] = evaluator;
        }
        return evaluator.AllMatch(file);
    }

    /// <summary>Reads files without delete files row group by row group (in parallel) into <paramref name="total"/>.</summary>
    private (int FromStatistics, int Decoded) AggregateDecoded(List<FileScanTask> tasks, Schema tableSchema, AggregateColumn[] columns, AggregateState total, bool useStatistics)
    {
        var ids = new HashSet<int>();
        CollectFieldIds(_filter, ids);
        foreach (var c in columns) ids.Add(c.FieldId);
        var readSchema = new Schema(tableSchema.SchemaId, tableSchema.Fields.Where(f => ids.Contains(f.Id) || NestedProjection.Contains(f.Type, ids)).ToList());
        var filterFields = FilterFields(readSchema);
        var columnIndex = new int[columns.Length];
        for (var i = 0; i < columns.Length; i++) columnIndex[i] = IndexOf(readSchema, columns[i].FieldId);
        var filter = _filter.RewriteNot();
        var rowFilter = filter is AlwaysTrue ? null : new RowFilter(filter);
        var threads = Threads;
        var units = threads > 1 ? ScanUnits(tasks, threads, readSchema) : null;
        var fromStatistics = 0;
        var decoded = 0;
        var gate = new object();
        void RunUnit(int task, int first, int end)
        {
            var local = new AggregateState(columns);
            var (stats, read) = AggregateUnit(tasks[task], first, end, readSchema, filter, rowFilter, filterFields, columnIndex, local, useStatistics);
            lock (gate)
            {
                total.Merge(local);
                fromStatistics += stats;
                decoded += read;
            }
        }
        if (units is null)
        {
            for (var t = 0; t < tasks.Count; t++) RunUnit(t, 0, -1);
            return (fromStatistics, decoded);
        }
        try
        {
            Parallel.For(0, units.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, u => RunUnit(units[u].Task, units[u].First, units[u].End));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Surface the file's own error (named file/column) rather than the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return (fromStatistics, decoded);
    }

    /// <summary>Row groups [<paramref name="first"/>, <paramref name="end"/>) of one file (end -1: to the last) into <paramref name="state"/>.</summary>
    private (int FromStatistics, int Decoded) AggregateUnit(FileScanTask task, int first, int end, Schema readSchema, Expression filter, RowFilter? rowFilter,
        bool[] filterFields, int[] columnIndex, AggregateState state, bool useStatistics)
    {
        using var reader = ParquetDataReader.Open(_table.Io, task.File.FilePath, readSchema, IdentityConstants(task.File, readSchema));
        var inclusive = rowFilter is null ? null : new InclusiveMetricsEvaluator(filter);
        var strict = rowFilter is null ? null : new StrictMetricsEvaluator(filter, _table.Metadata.SpecById(task.File.SpecId));
        var last = end < 0 ? reader.RowGroupCount : Math.Min(end, reader.RowGroupCount);
        var fields = readSchema.Fields.Count;
        var aggregated = new bool[fields];
        foreach (var i in columnIndex) aggregated[i] = true;
        var fromStatistics = 0;
        var decoded = 0;
        var folders = new AggregateState.BlockFolder[columnIndex.Length];
        for (var i = 0; i < folders.Length; i++) folders[i] = new AggregateState.BlockFolder(state, i);
        for (var g = first; g < last; g++)
        {
            var proven = rowFilter is null;
            if (useStatistics || rowFilter is not null)
            {
                var stats = reader.RowGroupMetrics(g);
                var metrics = RowGroupAsFile.Of(task.File, stats);
                if (rowFilter is not null)
                {
                    if (!inclusive!.MayMatch(metrics)) continue;
                    proven = strict!.AllMatch(metrics);
                }
                if (proven && useStatistics && state.TryFoldMetrics(metrics, fileLevel: false))
                {
                    fromStatistics++;
                    continue;
                }
            }
            decoded++;
            var rows = reader.RowGroupRows(g);
            ulong[]? selection = null;
            var selected = (long)rows;
            IArrowArray?[]? filterColumns = null;
            if (!proven)
            {
                filterColumns = reader.ReadColumns(g, filterFields);
                var arrowFields = new List<Field>();
                var arrays = new List<IArrowArray>();
                for (var f = 0; f < fields; f++)
                {
                    if (!filterFields[f]) continue;
                    arrowFields.Add(reader.ArrowSchema.FieldsList[f]);
                    arrays.Add(filterColumns[f]!);
                }
                var keep = new bool[rows];
                selected = rowFilter!.Evaluate(new RecordBatch(new Apache.Arrow.Schema(arrowFields, null), arrays, rows), keep);
                if (selected == 0) continue;
                if (selected < rows)
                {
                    selection = new ulong[Bitmap.WordCount(rows)];
                    Bitmap.FromFlags(keep, selection);
                }
            }
            state.Rows += selected;
            if (columnIndex.Length == 0) continue;
            // Aggregated columns the filter did not decode stream into the reduction block by block (no column
            // array is built); what the block decoder does not cover is read whole and folded as an array.
            var rest = new bool[fields];
            var any = false;
            for (var i = 0; i < columnIndex.Length; i++)
            {
                var f = columnIndex[i];
                if (filterColumns?[f] is not null || rest[f]) continue;
                var folder = folders[i];
                folder.Reset();
                if (reader.FoldColumn(g, readSchema.Fields[f].Id, selection, folder))
                {
                    state.Columns[i].Merge(folder.Scratch);
                    continue;
                }
                rest[f] = true;
                any = true;
            }
            var values = any ? reader.ReadColumns(g, rest) : null;
            for (var i = 0; i < columnIndex.Length; i++)
            {
                var f = columnIndex[i];
                if (filterColumns?[f] is { } filtered) state.FoldColumn(i, filtered, selection);
                else if (rest[f]) state.FoldColumn(i, values![f]!, selection);
            }
        }
        return (fromStatistics, decoded);
    }

    /// <summary>Files with delete files: the rows <see cref="ReadBatches"/> keeps, folded whole.</summary>
    private void AggregateWithDeletes(List<FileScanTask> tasks, AggregateColumn[] columns, AggregateState total)
    {
        if (columns.Length == 0)
        {
            total.Rows += CountRows(tasks);
            return;
        }
        var scan = Select(columns.Select(c => c.Name).ToList());
        foreach (var batch in scan.ReadBatches(tasks))
        {
            total.Rows += batch.Length;
            for (var i = 0; i < columns.Length; i++) total.FoldColumn(i, batch.Column(i), null);
        }
    }
}
