using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

public sealed partial class TableScan
{
    /// <summary>
    /// Reads the planned files as Arrow batches of <see cref="ProjectedSchema"/>: applies position and equality
    /// deletes, fills identity-partition columns that writers left out of the files from the manifest's partition
    /// values, and keeps only rows that match the filter. With a filter, each row group's filter columns are decoded
    /// first (a one-column filter on a dictionary-encoded column is evaluated once per dictionary entry); a row group
    /// with no surviving row reads nothing else, and the other columns are read only from the pages that hold
    /// surviving rows, gathering only those rows. Batches are the same as a whole-row-group read's.
    /// </summary>
    public IEnumerable<RecordBatch> ReadBatches(IReadOnlyList<FileScanTask> tasks)
    {
        var tableSchema = TableSchema;
        var projected = ProjectedSchema;
        // Files whose metrics prove every row matches (e.g. a day partition under a filter on that day) skip the
        // row filter; when that holds for every file the filter's columns are not read at all.
        var strict = new Dictionary<int, StrictMetricsEvaluator>();
        var allRows = new bool[tasks.Count];
        var everyTaskAllRows = true;
        for (var t = 0; t < tasks.Count; t++)
        {
            var file = tasks[t].File;
            if (_filter is not AlwaysTrue && !strict.ContainsKey(file.SpecId))
            {
                strict[file.SpecId] = new StrictMetricsEvaluator(_filter, _table.Metadata.SpecById(file.SpecId));
            }
            allRows[t] = _filter is AlwaysTrue || strict[file.SpecId].AllMatch(file);
            everyTaskAllRows &= allRows[t];
        }
        var readSchema = ReadSchema(tableSchema, projected, tasks, includeFilterColumns: !everyTaskAllRows);
        var rowFilter = _filter is AlwaysTrue ? null : new RowFilter(_filter);
        var deletes = new DeleteLoader(_table.Io, tableSchema);
        var outputSchema = Floe.Core.Arrow.ArrowSchemas.ToArrow(projected);
        var outputColumns = projected.Fields.Select(f => IndexOf(readSchema, f.Id)).ToArray();
        var lineage = RowLineageColumns.For(readSchema);
        // Late materialisation needs the filter's columns to be a strict part of what is read.
        var filterFields = !everyTaskAllRows && LateMaterialisation && lineage is null ? FilterFields(readSchema) : null;
        if (filterFields is not null && System.Array.TrueForAll(filterFields, f => f)) filterFields = null;
        var singleField = filterFields is null ? 0 : SingleFieldId(_filter.RewriteNot());
        var threads = Threads;
        var units = threads > 1 ? ScanUnits(tasks, threads, readSchema) : null;
        if (units is null || units.Count <= 1)
        {
            for (var t = 0; t < tasks.Count; t++)
            {
                var unit = new ReadUnit(tasks[t], 0, -1, SortedPositions(deletes.PositionsFor(tasks[t])), deletes.EqualityFor(tasks[t], readSchema), allRows[t] ? null : rowFilter);
                foreach (var batch in Read(unit, readSchema, projected, outputSchema, outputColumns, lineage, filterFields, singleField)) yield return batch;
            }
            yield break;
        }
        // Row groups (or whole files, when their row groups are unknown and files outnumber threads) decode on worker
        // threads; the caller gets their batches in plan order. A window of 2 units per thread bounds what is held.
        using var gate = new SemaphoreSlim(threads);
        var window = new Queue<Task<List<RecordBatch>>>();
        var next = 0;
        var sortedFor = -1;
        long[]? sorted = null;
        try
        {
            while (next < units.Count || window.Count > 0)
            {
                while (next < units.Count && window.Count < 2 * threads)
                {
                    var (t, firstGroup, endGroup) = units[next++];
                    // Delete files load here, on the caller's thread: DeleteLoader caches them and is not thread-safe.
                    // A file's row groups share its sorted delete positions: sort them once per file.
                    if (t != sortedFor)
                    {
                        sortedFor = t;
                        sorted = SortedPositions(deletes.PositionsFor(tasks[t]));
                    }
                    var unit = new ReadUnit(tasks[t], firstGroup, endGroup, sorted, deletes.EqualityFor(tasks[t], readSchema), allRows[t] ? null : rowFilter);
                    window.Enqueue(Task.Run(() =>
                    {
                        gate.Wait();
                        try
                        {
                            return Read(unit, readSchema, projected, outputSchema, outputColumns, lineage, filterFields, singleField).ToList();
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }));
                }
                foreach (var batch in window.Dequeue().GetAwaiter().GetResult()) yield return batch;
            }
        }
        finally
        {
            // A caller that stops early, or a failed unit, must not leave decodes running against files or the gate.
            foreach (var pending in window)
            {
                try
                {
                    pending.Wait();
                }
                catch (AggregateException)
                {
                    // Already reported through the unit that failed first, or not wanted by a caller that stopped.
                }
            }
        }
    }

    /// <summary>Row groups [<c>First</c>, <c>End</c>) of one file (<c>End</c> -1: to the last), with what applies to their rows.</summary>
    private sealed record ReadUnit(FileScanTask Task, int First, int End, long[]? Positions, EqualityDeletes? Equality, RowFilter? Filter);

    private IEnumerable<RecordBatch> Read(ReadUnit unit, Schema readSchema, Schema projected, Apache.Arrow.Schema outputSchema, int[] outputColumns, RowLineageColumns? lineage, bool[]? filterFields, int singleField)
    {
        var task = unit.Task;
        using var reader = ParquetDataReader.Open(_table.Io, task.File.FilePath, readSchema, IdentityConstants(task.File, readSchema));
        var end = unit.End < 0 ? reader.RowGroupCount : Math.Min(unit.End, reader.RowGroupCount);
        var late = filterFields is not null && unit.Filter is not null && unit.Equality is null;
        for (var g = unit.First; g < end; g++)
        {
            RecordBatch selected;
            if (late)
            {
                if (ReadLate(reader, g, filterFields!, unit.Positions, unit.Filter!, singleField) is not { } survived) continue;
                selected = survived;
            }
            else
            {
                var (read, firstRow) = reader.ReadRowGroup(g);
                var batch = lineage is null ? read : lineage.Fill(read, firstRow, task.File, task.DataSequenceNumber);
                selected = Select(batch, firstRow, unit.Positions, unit.Equality, unit.Filter);
            }
            if (selected.Length == 0) continue;
            var columns = new IArrowArray[outputColumns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                // A filter on a struct's child makes the struct be read whole; the output keeps only the projected children.
                columns[c] = NestedProjection.PruneArray(selected.Column(outputColumns[c]), readSchema.Fields[outputColumns[c]], projected.Fields[c]);
            }
            yield return new RecordBatch(outputSchema, columns, selected.Length);
        }
    }

    /// <summary>
    /// The units a parallel read hands out, in plan order: a file's row groups one by one when its split offsets
    /// (one per row group) say it has several, or when files are fewer than threads (then its footer is read here);
    /// else the whole file. A file's last unit reads to its last row group, so split offsets that undercount the
    /// row groups lose nothing, and units past the real count read nothing.
    /// </summary>
    private List<(int Task, int First, int End)> ScanUnits(IReadOnlyList<FileScanTask> tasks, int threads, Schema readSchema)
    {
        var units = new List<(int Task, int First, int End)>();
        for (var t = 0; t < tasks.Count; t++)
        {
            var groups = tasks[t].File.SplitOffsets?.Count ?? 0;
            if (groups <= 1 && tasks.Count < threads)
            {
                using var reader = ParquetDataReader.Open(_table.Io, tasks[t].File.FilePath, readSchema);
                groups = reader.RowGroupCount;
            }
            for (var g = 0; g < groups - 1; g++) units.Add((t, g, g + 1));
            units.Add((t, Math.Max(groups - 1, 0), -1));
        }
        return units;
    }

    /// <summary>The deleted positions in ascending order, so each batch visits only its own deleted rows.</summary>
    private static long[]? SortedPositions(IReadOnlySet<long>? positions)
    {
        if (positions is null) return null;
        var sorted = new long[positions.Count];
        var n = 0;
        foreach (var p in positions) sorted[n++] = p;
        System.Array.Sort(sorted);
        return sorted;
    }

    private static RecordBatch Select(RecordBatch batch, long firstRow, long[]? positions, EqualityDeletes? equality, RowFilter? filter)
    {
        if (positions is null && equality is null && filter is null) return batch;
        var keep = new bool[batch.Length];
        if (filter is null) keep.AsSpan().Fill(true);
        else filter.Evaluate(batch, keep);
        if (positions is not null)
        {
            // Walk the deleted positions that fall in this batch: cost follows the deletes, not the rows.
            var at = System.Array.BinarySearch(positions, firstRow);
            if (at < 0) at = ~at;
            var end = firstRow + keep.Length;
            for (; at < positions.Length && positions[at] < end; at++) keep[positions[at] - firstRow] = false;
        }
        equality?.Apply(batch, keep);
        var count = 0;
        foreach (var k in keep) count += k ? 1 : 0;
        if (count == batch.Length) return batch;
        var indices = new int[count];
        for (int i = 0, j = 0; i < keep.Length; i++)
        {
            if (keep[i]) indices[j++] = i;
        }
        return ArrowTake.Take(batch, indices);
    }

    /// <summary>The columns to read: the projection plus the filter's and every equality delete's columns, in table order.</summary>
    private Schema ReadSchema(Schema tableSchema, Schema projected, IReadOnlyList<FileScanTask> tasks, bool includeFilterColumns)
    {
        var ids = new HashSet<int>();
        if (includeFilterColumns) CollectFieldIds(_filter, ids);
        foreach (var task in tasks)
        {
            foreach (var delete in task.Deletes)
            {
                if (delete.EqualityIds is { } equalityIds) ids.UnionWith(equalityIds);
            }
        }
        // A top-level field is read whole when a filter or delete needs something in it, else as the projection pruned it.
        var fields = new List<NestedField>();
        foreach (var field in tableSchema.Fields)
        {
            if (ids.Contains(field.Id) || NestedProjection.Contains(field.Type, ids)) fields.Add(field);
            else if (projected.FindField(field.Id) is not null) fields.Add(projected.Fields.First(f => f.Id == field.Id));
        }
        foreach (var field in projected.Fields)
        {
            if (MetadataColumns.IsRowLineage(field.Id)) fields.Add(field);
        }
        return new Schema(tableSchema.SchemaId, fields);
    }

    private static void CollectFieldIds(Expression expression, HashSet<int> ids)
    {
        switch (expression)
        {
            case And a: CollectFieldIds(a.Left, ids); CollectFieldIds(a.Right, ids); break;
            case Or o: CollectFieldIds(o.Left, ids); CollectFieldIds(o.Right, ids); break;
            case Not n: CollectFieldIds(n.Child, ids); break;
            case BoundPredicate p: ids.Add(p.FieldId); break;
        }
    }

    private static int IndexOf(Schema schema, int fieldId)
    {
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            if (schema.Fields[i].Id == fieldId) return i;
        }
        throw new InvalidOperationException($"field {fieldId} missing from the read schema");
    }

    /// <summary>Identity-partition values of the file's own spec, keyed by source field id.</summary>
    private IReadOnlyDictionary<int, object?>? IdentityConstants(DataFile file, Schema readSchema)
    {
        var spec = _table.Metadata.PartitionSpecs.FirstOrDefault(s => s.SpecId == file.SpecId);
        if (spec is null || file.Partition.Count != spec.Fields.Count) return null;
        Dictionary<int, object?>? constants = null;
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            if (field.Transform.Kind == TransformKind.Identity && readSchema.FindField(field.SourceId) is not null)
            {
                (constants ??= new Dictionary<int, object?>())[field.SourceId] = file.Partition[i];
            }
        }
        return constants;
    }
}
