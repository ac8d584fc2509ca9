using Apache.Arrow;
using Floe.Iceberg.Spec;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

/// <summary>
/// Fills the row lineage metadata columns of a batch as read from a data file (spec "Row Lineage"): a null (or
/// absent, so null) <c>_row_id</c> becomes the file's first_row_id plus the row's position, a null
/// <c>_last_updated_sequence_number</c> the file's data sequence number; values written into the file stay as they
/// are. A file without a first_row_id (a snapshot from before a v3 upgrade) yields nulls.
/// </summary>
internal sealed class RowLineageColumns
{
    private readonly int _rowId;
    private readonly int _sequence;

    private RowLineageColumns(int rowId, int sequence)
    {
        _rowId = rowId;
        _sequence = sequence;
    }

    /// <summary>The filler for <paramref name="readSchema"/>, or null when it reads neither column.</summary>
    public static RowLineageColumns? For(Schema readSchema)
    {
        int rowId = -1, sequence = -1;
        for (var i = 0; i < readSchema.Fields.Count; i++)
        {
            if (readSchema.Fields[i].Id == MetadataColumns.RowIdFieldId) rowId = i;
            else if (readSchema.Fields[i].Id == MetadataColumns.LastUpdatedSequenceNumberFieldId) sequence = i;
        }
        return rowId < 0 && sequence < 0 ? null : new RowLineageColumns(rowId, sequence);
    }

    /// <summary>The batch with both columns filled; <paramref name="firstRow"/> is the position of its first row in the file.</summary>
    public RecordBatch Fill(RecordBatch batch, long firstRow, DataFile file, long dataSequenceNumber)
    {
        if (file.FirstRowId is not { } firstRowId) return batch;
        var columns = new IArrowArray[batch.ColumnCount];
        for (var c = 0; c < columns.Length; c++) columns[c] = batch.Column(c);
        if (_rowId >= 0) columns[_rowId] = Fill((Int64Array)columns[_rowId], firstRowId + firstRow, 1);
        if (_sequence >= 0) columns[_sequence] = Fill((Int64Array)columns[_sequence], dataSequenceNumber, 0);
        return new RecordBatch(batch.Schema, columns, batch.Length);
    }

    /// <summary>Nulls become <paramref name="start"/> + <paramref name="step"/> × row.</summary>
    private static Int64Array Fill(Int64Array read, long start, long step)
    {
        if (read.NullCount == 0) return read;
        var values = new long[read.Length];
        var source = read.Values;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read.IsNull(i) ? start + step * i : source[i];
        }
        return new Int64Array(new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray()),
            ArrowBuffer.Empty, values.Length, 0, 0);
    }
}
