using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Parquet;
using Floe.Iceberg.Spec;
using Schema = Floe.Iceberg.Spec.Schema;

namespace Floe.Iceberg.Scan;

public sealed partial class TableScan
{
    /// <summary>
    /// Reads the planned files as Arrow batches of <see cref="ProjectedSchema"/>: applies position and equality
    /// deletes, fills identity-partition columns that writers left out of the files from the manifest's partition
    /// values, and keeps only rows that match the filter.
    /// </summary>
    public IEnumerable<RecordBatch> ReadBatches(IReadOnlyList<FileScanTask> tasks)
    {
        var tableSchema = TableSchema;
        var projected = ProjectedSchema;
        // Files whose metrics prove every row matches (e.g. a day partition under a filter on that day) skip the
        // row filter; when that holds for every file the filter's columns are not read at all.
        var strictFilter = _filter is AlwaysTrue ? null : _filter.RewriteNot();
        var allRows = new bool[tasks.Count];
        var everyTaskAllRows = true;
        for (var t = 0; t < tasks.Count; t++)
        {
            allRows[t] = strictFilter is null || AllRowsMatch(strictFilter, tasks[t].File);
            everyTaskAllRows &= allRows[t];
        }
        var readSchema = ReadSchema(tableSchema, projected, tasks, includeFilterColumns: !everyTaskAllRows);
        var rowFilter = _filter is AlwaysTrue ? null : new RowFilter(_filter);
        var deletes = new DeleteLoader(_table.Io, tableSchema);
        var outputSchema = Arrow.ArrowSchemas.ToArrow(projected);
        var outputColumns = projected.Fields.Select(f => IndexOf(readSchema, f.Id)).ToArray();
        for (var t = 0; t < tasks.Count; t++)
        {
            var task = tasks[t];
            var positions = deletes.PositionsFor(task);
            var equality = deletes.EqualityFor(task, readSchema);
            var taskFilter = allRows[t] ? null : rowFilter;
            using var reader = ParquetDataReader.Open(_table.Io, task.File.FilePath, readSchema, IdentityConstants(task.File, readSchema));
            foreach (var (batch, firstRow) in reader.ReadAll())
            {
                var selected = Select(batch, firstRow, positions, equality, taskFilter);
                if (selected.Length == 0) continue;
                var columns = new IArrowArray[outputColumns.Length];
                for (var c = 0; c < columns.Length; c++) columns[c] = selected.Column(outputColumns[c]);
                yield return new RecordBatch(outputSchema, columns, selected.Length);
            }
        }
    }

    private static RecordBatch Select(RecordBatch batch, long firstRow, IReadOnlySet<long>? positions, EqualityDeletes? equality, RowFilter? filter)
    {
        if (positions is null && equality is null && filter is null) return batch;
        var keep = new bool[batch.Length];
        if (filter is null) keep.AsSpan().Fill(true);
        else filter.Evaluate(batch, keep);
        if (positions is not null)
        {
            for (var i = 0; i < keep.Length; i++)
            {
                if (keep[i] && positions.Contains(firstRow + i)) keep[i] = false;
            }
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
        var ids = new HashSet<int>(projected.Fields.Select(f => f.Id));
        if (includeFilterColumns) CollectFieldIds(_filter, ids);
        foreach (var task in tasks)
        {
            foreach (var delete in task.Deletes)
            {
                if (delete.EqualityIds is { } equalityIds) ids.UnionWith(equalityIds);
            }
        }
        return new Schema(tableSchema.SchemaId, tableSchema.Fields.Where(f => ids.Contains(f.Id)).ToList());
    }

    /// <summary>
    /// True only when the file's metrics prove every row satisfies <paramref name="e"/> (negations already pushed
    /// into predicates). Needs exact bounds and zero null (and NaN) counts; string/binary bounds may be truncated
    /// and float bounds have NaN/signed-zero subtleties, so neither proves anything. Unknown metrics give false.
    /// </summary>
    private static bool AllRowsMatch(Expression e, DataFile file) => e switch
    {
        AlwaysTrue => true,
        AlwaysFalse => false,
        And a => AllRowsMatch(a.Left, file) && AllRowsMatch(a.Right, file),
        Or o => AllRowsMatch(o.Left, file) || AllRowsMatch(o.Right, file),
        BoundPredicate p => AllRowsMatch(p, file),
        _ => false,
    };

    private static bool AllRowsMatch(BoundPredicate p, DataFile file)
    {
        var id = p.FieldId;
        if (file.NullValueCounts is null || !file.NullValueCounts.TryGetValue(id, out var nulls) || nulls != 0) return false;
        if (p.Op == Operation.NotNull) return true;
        // Truncated string bounds prove nothing; float bounds are left out for NaN and signed-zero subtleties.
        if (p.Type.Id is TypeId.String or TypeId.Binary or TypeId.Fixed or TypeId.Uuid or TypeId.Float or TypeId.Double) return false;
        var lower = BoundsCheck.Decode(p.Type, file.LowerBounds is not null && file.LowerBounds.TryGetValue(id, out var lb) ? lb : null);
        var upper = BoundsCheck.Decode(p.Type, file.UpperBounds is not null && file.UpperBounds.TryGetValue(id, out var ub) ? ub : null);
        if (lower is null || upper is null || ValueOrder.IsNaN(lower) || ValueOrder.IsNaN(upper)) return false;
        var t = p.Type;
        return p.Op switch
        {
            Operation.Lt => ValueOrder.Compare(t, upper, p.Literal) < 0,
            Operation.LtEq => ValueOrder.Compare(t, upper, p.Literal) <= 0,
            Operation.Gt => ValueOrder.Compare(t, lower, p.Literal) > 0,
            Operation.GtEq => ValueOrder.Compare(t, lower, p.Literal) >= 0,
            Operation.Eq => ValueOrder.Compare(t, lower, p.Literal) == 0 && ValueOrder.Compare(t, upper, p.Literal) == 0,
            _ => false,
        };
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
