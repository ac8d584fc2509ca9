using Floe.Core.Expressions.Evaluation;
using Apache.Arrow;
using Floe.Features.Columns;
using Floe.Features.Expressions;
using Floe.Core.Arrow;

namespace Floe.Features.Output;

/// <summary>
/// The one conversion of computed columns to Arrow that every sink shares, so a Parquet file, a CSV file and a
/// feature table hold the same values: field ids 1..n in output order, list features as text <c>[a;b]</c>.
/// </summary>
internal static class FeatureArrow
{
    /// <summary>
    /// The Arrow schema of rows with these names and column kinds: every field optional and labelled with its Iceberg
    /// field id (1..n in output order, <see cref="ArrowFieldIds.Key"/>), timestamps as Timestamp(µs, UTC) and list
    /// features as strings, so a host maps it to an Iceberg schema without asking the engine.
    /// </summary>
    public static Apache.Arrow.Schema OutputSchema(string[] names, ValueVector[] columns)
    {
        var fields = new List<Field>(names.Length);
        for (int c = 0; c < names.Length; c++)
        {
            var kind = columns[c].IsList ? ValueKind.String : columns[c].Kind;
            fields.Add(new Field(names[c], ArrowColumns.ArrowType(kind), true,
                [new(ArrowFieldIds.Key, (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }
        return new Apache.Arrow.Schema(fields, null);
    }

    /// <summary>
    /// Rows [<paramref name="start"/>, +<paramref name="rows"/>) of <paramref name="columns"/> as a batch of
    /// <paramref name="schema"/>: over the columns' own arrays, or with <paramref name="copy"/> over copies of them.
    /// </summary>
    public static RecordBatch Batch(Apache.Arrow.Schema schema, ValueVector[] columns, int start, int rows, bool copy = false)
    {
        var arrays = new IArrowArray[columns.Length];
        // Columns are independent: convert them on both cores (the writers compress columns in parallel too).
        Parallel.For(0, columns.Length, c =>
        {
            var col = columns[c];
            if (col.IsList)
            {
                arrays[c] = ArrowColumns.ToArray(ListText(col, start, rows));
            }
            else
            {
                arrays[c] = ArrowColumns.ToArray(col, start, rows, copy);
            }
        });
        return new RecordBatch(schema, arrays, rows);
    }

    // Rows [start, start + rows) of a list column as text "[a;b]", written straight into one UTF-8 buffer.
    private static ValueVector ListText(ValueVector col, int start, int rows)
    {
        var values = col.ListValues!;
        var list = col.ListOffsets!;
        var offsets = new int[rows + 1];
        var bytes = new byte[Math.Max(64, rows * 16)];
        ulong[]? valid = col.Valid is null ? null : new ulong[Floe.Kernels.Bitmaps.Bitmap.WordCount(rows)];
        int at = 0;
        for (int r = 0; r < rows; r++)
        {
            if (col.IsValid(start + r))
            {
                if (valid is not null) { valid[r >> 6] |= 1UL << (r & 63); }
                at = Append(ref bytes, at, "["u8);
                for (int k = list[start + r]; k < list[start + r + 1]; k++)
                {
                    if (k > list[start + r]) { at = Append(ref bytes, at, ";"u8); }
                    int written;
                    while (!values.TryFormatUtf8(k, bytes.AsSpan(at), out written)) { System.Array.Resize(ref bytes, bytes.Length * 2); }
                    at += written;
                }
                at = Append(ref bytes, at, "]"u8);
            }
            offsets[r + 1] = at;
        }
        return ValueVector.FromUtf8(bytes, offsets, valid, rows);
    }

    private static int Append(ref byte[] bytes, int at, ReadOnlySpan<byte> text)
    {
        if (at + text.Length > bytes.Length) { System.Array.Resize(ref bytes, bytes.Length * 2); }
        text.CopyTo(bytes.AsSpan(at));
        return at + text.Length;
    }
}
