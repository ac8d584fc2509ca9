using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Parquet;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

public sealed partial class TableScan
{
    /// <summary>
    /// Late materialisation of one row group: decodes the filter's columns alone, evaluates the filter and the
    /// position deletes into a selection, and returns null when nothing survives without touching the other
    /// columns; otherwise decodes the other columns only for the pages that hold selected rows (from the page
    /// index) and gathers the selected rows. The batch equals what the whole-row-group path would produce.
    /// </summary>
    private static RecordBatch? ReadLate(ParquetDataReader reader, int rowGroup, bool[] filterFields, long[]? positions, RowFilter filter, int singleField)
    {
        var fields = reader.Projection.Fields;
        var rows = reader.RowGroupRows(rowGroup);
        var firstRow = reader.RowGroupFirstRow(rowGroup);
        var keep = new bool[rows];
        IArrowArray?[] filterColumns;
        long count;
        if (singleField > 0 && DictionaryPredicate(reader, rowGroup, singleField, filter, keep) is var matched and >= 0)
        {
            // Only the filter column's dictionary was evaluated; its selected values are gathered below like any other's.
            count = matched;
            filterColumns = new IArrowArray?[fields.Count];
            filterFields = new bool[fields.Count];
        }
        else
        {
            filterColumns = reader.ReadColumns(rowGroup, filterFields);
            var arrowFields = new List<Field>();
            var arrays = new List<IArrowArray>();
            for (var f = 0; f < fields.Count; f++)
            {
                if (!filterFields[f]) continue;
                arrowFields.Add(reader.ArrowSchema.FieldsList[f]);
                arrays.Add(filterColumns[f]!);
            }
            count = filter.Evaluate(new RecordBatch(new Apache.Arrow.Schema(arrowFields, null), arrays, rows), keep);
        }
        if (positions is not null && count > 0)
        {
            var at = System.Array.BinarySearch(positions, firstRow);
            if (at < 0) at = ~at;
            var end = firstRow + rows;
            for (; at < positions.Length && positions[at] < end; at++)
            {
                ref var k = ref keep[positions[at] - firstRow];
                if (k)
                {
                    k = false;
                    count--;
                }
            }
        }
        if (count == 0) return null;
        var columns = new IArrowArray[fields.Count];
        if (count == rows)
        {
            // Every row survives: the other columns are decoded whole, as the plain path would.
            var rest = new bool[fields.Count];
            for (var f = 0; f < rest.Length; f++) rest[f] = !filterFields[f];
            var others = reader.ReadColumns(rowGroup, rest);
            for (var f = 0; f < columns.Length; f++) columns[f] = filterFields[f] ? filterColumns[f]! : others[f]!;
            return new RecordBatch(reader.ArrowSchema, columns, rows);
        }
        var indices = new int[checked((int)count)];
        for (int i = 0, j = 0; i < keep.Length; i++)
        {
            if (keep[i]) indices[j++] = i;
        }
        var whole = new bool[fields.Count];
        var anyWhole = false;
        for (var f = 0; f < fields.Count; f++)
        {
            if (filterFields[f])
            {
                columns[f] = ArrowTake.Take(filterColumns[f]!, indices);
            }
            else if (TakeFromPages(reader, rowGroup, fields[f].Id, keep, indices) is { } taken)
            {
                columns[f] = taken;
            }
            else
            {
                whole[f] = true;
                anyWhole = true;
            }
        }
        if (anyWhole)
        {
            var decoded = reader.ReadColumns(rowGroup, whole);
            for (var f = 0; f < fields.Count; f++)
            {
                if (whole[f]) columns[f] = ArrowTake.Take(decoded[f]!, indices);
            }
        }
        return new RecordBatch(reader.ArrowSchema, columns, (int)count);
    }

    /// <summary>
    /// The selected rows of one flat column from its page index: runs of pages without a selected row are not read,
    /// and the pages read gather only their selected values. Null when the column has no page index or its layout
    /// needs the general reader.
    /// </summary>
    private static IArrowArray? TakeFromPages(ParquetDataReader reader, int rowGroup, int fieldId, bool[] keep, int[] indices)
    {
        if (reader.PageIndex(rowGroup, fieldId) is not { Count: > 0 } pages) return null;
        var wanted = new bool[pages.Count];
        for (var p = 0; p < pages.Count; p++)
        {
            var start = (int)pages[p].FirstRow;
            var end = start + (int)pages[p].RowCount;
            wanted[p] = keep.AsSpan(start, end - start).Contains(true);
        }
        var runs = new List<IArrowArray>();
        var next = 0;
        for (var p = 0; p < pages.Count;)
        {
            if (!wanted[p])
            {
                p++;
                continue;
            }
            var end = p + 1;
            while (end < pages.Count && wanted[end]) end++;
            var runStart = pages[p].FirstRow;
            var runEnd = end < pages.Count ? pages[end].FirstRow : long.MaxValue;
            var from = next;
            while (next < indices.Length && indices[next] < runEnd) next++;
            var rows = new int[next - from];
            for (var k = 0; k < rows.Length; k++) rows[k] = (int)(indices[from + k] - runStart);
            if (reader.ReadPageRows(rowGroup, fieldId, p, end, rows) is not { } run) return null;
            runs.Add(run);
            p = end;
        }
        return runs.Count == 1 ? runs[0] : ArrowArrayConcatenator.Concatenate(runs);
    }

    /// <summary>
    /// Evaluates a one-column filter once per dictionary entry of the column (the filter sees the dictionary plus one
    /// null entry) and marks the matching rows in <paramref name="keep"/>; -1 when the column is not dictionary-encoded.
    /// </summary>
    private static long DictionaryPredicate(ParquetDataReader reader, int rowGroup, int fieldId, RowFilter filter, bool[] keep)
    {
        var index = -1;
        for (var f = 0; f < reader.Projection.Fields.Count; f++)
        {
            if (reader.Projection.Fields[f].Id == fieldId) index = f;
        }
        if (index < 0) return -1;
        var schema = new Apache.Arrow.Schema(new[] { reader.ArrowSchema.FieldsList[index] }, null);
        return reader.FilterDictionary(rowGroup, fieldId, dictionary =>
        {
            var matches = new bool[dictionary.Length];
            filter.Evaluate(new RecordBatch(schema, new[] { dictionary }, dictionary.Length), matches);
            return matches;
        }, keep);
    }

    /// <summary>Which fields of <paramref name="readSchema"/> the filter reads (a struct counts when it reads a child).</summary>
    private bool[] FilterFields(Schema readSchema)
    {
        var ids = new HashSet<int>();
        CollectFieldIds(_filter, ids);
        var result = new bool[readSchema.Fields.Count];
        for (var f = 0; f < result.Length; f++)
        {
            var field = readSchema.Fields[f];
            result[f] = ids.Contains(field.Id) || NestedProjection.Contains(field.Type, ids);
        }
        return result;
    }
}
