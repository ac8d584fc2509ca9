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

    /// <summary>Rows [<paramref name="start"/>, +<paramref name="rows"/>) of <paramref name="columns"/> as a batch of <paramref name="schema"/>.</summary>
    public static RecordBatch Batch(Apache.Arrow.Schema schema, ValueVector[] columns, int start, int rows)
    {
        var arrays = new IArrowArray[columns.Length];
        // Columns are independent: convert them on both cores (the writers compress columns in parallel too).
        Parallel.For(0, columns.Length, c =>
        {
            var col = columns[c];
            if (col.IsList)
            {
                var text = new string?[rows];
                for (int r = 0; r < rows; r++) { text[r] = col.IsValid(start + r) ? ListText(col, start + r) : null; }
                arrays[c] = ArrowColumns.ToArray(ValueVector.FromStrings(text));
            }
            else
            {
                arrays[c] = ArrowColumns.ToArray(col, start, rows);
            }
        });
        return new RecordBatch(schema, arrays, rows);
    }

    private static string ListText(ValueVector col, int r)
    {
        var sb = new System.Text.StringBuilder("[");
        var values = col.ListValues!;
        for (int k = col.ListOffsets![r]; k < col.ListOffsets[r + 1]; k++)
        {
            if (k > col.ListOffsets[r]) { sb.Append(';'); }
            sb.Append(values.Kind switch
            {
                ValueKind.Float64 => values.Doubles![k].ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                ValueKind.String => values.GetString(k),
                ValueKind.Bool => values.GetBool(k) ? "true" : "false",
                _ => values.Longs![k].ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }
        return sb.Append(']').ToString();
    }
}
