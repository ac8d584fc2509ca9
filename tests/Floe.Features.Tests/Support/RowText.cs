using System.Globalization;
using Apache.Arrow;

namespace Floe.Features.Tests.Support;

/// <summary>
/// Output rows as text, one string a row (each column's value or null, doubles as their bits), so two runs' outputs
/// compare row by row and in order.
/// </summary>
internal static class RowText
{
    /// <summary>Appends each row of <paramref name="rows"/> to <paramref name="into"/>.</summary>
    public static void AppendRows(RecordBatch rows, List<string> into)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < rows.Length; i++)
        {
            text.Clear();
            for (int c = 0; c < rows.ColumnCount; c++) { text.Append(Value(rows.Column(c), i)).Append('|'); }
            into.Add(text.ToString());
        }
    }

    private static string Value(IArrowArray column, int i) => column.IsNull(i) ? "null" : column switch
    {
        DoubleArray d => BitConverter.DoubleToInt64Bits(d.GetValue(i)!.Value).ToString(CultureInfo.InvariantCulture),
        Int64Array l => l.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
        TimestampArray t => t.GetValue(i)!.Value.ToString(CultureInfo.InvariantCulture),
        StringArray s => s.GetString(i),
        BooleanArray b => b.GetValue(i)!.Value ? "t" : "f",
        _ => throw new NotSupportedException(column.GetType().Name),
    };
}
