using Floe.Iceberg.Expressions;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

public sealed partial class TableScan
{
    /// <summary>
    /// The row positions of <paramref name="task"/>'s data file that are live (not deleted by the task's position
    /// deletes, deletion vectors or equality deletes) and match this scan's filter, in ascending order, and the number
    /// of live rows. Only the filter's and the equality deletes' columns are read. What a merge-on-read delete marks.
    /// </summary>
    internal (List<long> Matched, long Live) MatchingPositions(FileScanTask task, DeleteLoader deletes, bool allMatch)
    {
        var tableSchema = TableSchema;
        var ids = new HashSet<int>();
        if (!allMatch) CollectFieldIds(_filter, ids);
        foreach (var delete in task.Deletes)
        {
            if (delete.EqualityIds is { } equalityIds) ids.UnionWith(equalityIds);
        }
        var fields = new List<NestedField>();
        foreach (var field in tableSchema.Fields)
        {
            if (ids.Contains(field.Id) || NestedProjection.Contains(field.Type, ids)) fields.Add(field);
        }
        // Row positions need rows, and rows need a column: with nothing to evaluate, read the narrowest one there is.
        if (fields.Count == 0) fields.Add(tableSchema.Fields[0]);
        var readSchema = new Schema(tableSchema.SchemaId, fields);
        var positions = deletes.PositionsFor(task);
        var equality = deletes.EqualityFor(task, readSchema);
        var filter = allMatch || _filter is AlwaysTrue ? null : new RowFilter(_filter);
        var matched = new List<long>();
        long live = 0;
        using var reader = ParquetDataReader.Open(_table.Io, task.File.FilePath, readSchema, IdentityConstants(task.File, readSchema));
        foreach (var (batch, firstRow) in reader.ReadAll())
        {
            var alive = new bool[batch.Length];
            alive.AsSpan().Fill(true);
            if (positions is not null)
            {
                for (var i = 0; i < alive.Length; i++)
                {
                    if (positions.Contains(firstRow + i)) alive[i] = false;
                }
            }
            equality?.Apply(batch, alive);
            bool[]? hit = null;
            if (filter is not null)
            {
                hit = new bool[batch.Length];
                filter.Evaluate(batch, hit);
            }
            for (var i = 0; i < alive.Length; i++)
            {
                if (!alive[i]) continue;
                live++;
                if (hit is null || hit[i]) matched.Add(firstRow + i);
            }
        }
        return (matched, live);
    }
}
