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
        // The selection is a bitmap (row i = bit i % 64 of word i / 64): a dictionary predicate writes it as it
        // unpacks the filter column's indices, and the pages to read and rows to gather are found by word.
        var keep = new ulong[(rows + 63) >> 6];
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
            var matches = new bool[rows];
            count = filter.Evaluate(new RecordBatch(new Apache.Arrow.Schema(arrowFields, null), arrays, rows), matches);
            Pack(matches, keep);
        }
        if (positions is not null && count > 0)
        {
            var at = System.Array.BinarySearch(positions, firstRow);
            if (at < 0) at = ~at;
            var end = firstRow + rows;
            for (; at < positions.Length && positions[at] < end; at++)
            {
                var row = positions[at] - firstRow;
                ref var word = ref keep[row >> 6];
                var bit = 1UL << (int)(row & 63);
                if ((word & bit) != 0)
                {
                    word &= ~bit;
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
        for (int w = 0, j = 0; w < keep.Length; w++)
        {
            for (var x = keep[w]; x != 0; x &= x - 1) indices[j++] = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(x);
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
    private static IArrowArray? TakeFromPages(ParquetDataReader reader, int rowGroup, int fieldId, ulong[] keep, int[] indices)
    {
        if (reader.PageIndex(rowGroup, fieldId) is not { Count: > 0 } pages) return null;
        var wanted = new bool[pages.Count];
        for (var p = 0; p < pages.Count; p++)
        {
            var start = (int)pages[p].FirstRow;
            var end = start + (int)pages[p].RowCount;
            wanted[p] = AnySet(keep, start, end);
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
    /// null entry) and sets the matching rows' bits in <paramref name="keep"/>; -1 when the column is not dictionary-encoded.
    /// </summary>
    private static long DictionaryPredicate(ParquetDataReader reader, int rowGroup, int fieldId, RowFilter filter, ulong[] keep)
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

    /// <summary>Packs a per-row verdict into the selection bitmap (eight rows per comparison).</summary>
    private static void Pack(bool[] matches, ulong[] bits)
    {
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(matches.AsSpan());
        var i = 0;
        for (; i + 64 <= bytes.Length; i += 64)
        {
            var low = System.Runtime.Intrinsics.Vector256.Create<byte>(bytes.Slice(i, 32));
            var high = System.Runtime.Intrinsics.Vector256.Create<byte>(bytes.Slice(i + 32, 32));
            var zero = System.Runtime.Intrinsics.Vector256<byte>.Zero;
            var l = (ulong)~System.Runtime.Intrinsics.Vector256.ExtractMostSignificantBits(System.Runtime.Intrinsics.Vector256.Equals(low, zero)) & 0xFFFFFFFFUL;
            var h = (ulong)~System.Runtime.Intrinsics.Vector256.ExtractMostSignificantBits(System.Runtime.Intrinsics.Vector256.Equals(high, zero)) & 0xFFFFFFFFUL;
            bits[i >> 6] = l | (h << 32);
        }
        if (i < bytes.Length)
        {
            ulong last = 0;
            for (var k = i; k < bytes.Length; k++) last |= (bytes[k] != 0 ? 1UL : 0UL) << (k & 63);
            bits[i >> 6] = last;
        }
    }

    /// <summary>Whether any of rows [<paramref name="start"/>, <paramref name="end"/>) is set in the bitmap.</summary>
    private static bool AnySet(ulong[] bits, int start, int end)
    {
        if (start >= end) return false;
        var first = start >> 6;
        var last = (end - 1) >> 6;
        var head = ulong.MaxValue << (start & 63);
        var tail = (end & 63) == 0 ? ulong.MaxValue : (1UL << (end & 63)) - 1;
        if (first == last) return (bits[first] & head & tail) != 0;
        if ((bits[first] & head) != 0 || (bits[last] & tail) != 0) return true;
        return bits.AsSpan(first + 1, last - first - 1).ContainsAnyExcept(0UL);
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
