using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>Turns a fixed-stride <c>last_n</c> output buffer into a list column.</summary>
internal static class ListColumns
{
    public static ColumnData Create(AggOutputBuffer o, int n, StringPool strings)
    {
        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++) { offsets[i + 1] = offsets[i] + o.ListLength![i]; }
        int total = offsets[n];
        ColumnData values;
        if (o.D is not null)
        {
            var d = new double[total];
            for (int i = 0; i < n; i++) { o.D.AsSpan(i * o.Stride, o.ListLength![i]).CopyTo(d.AsSpan(offsets[i])); }
            values = ColumnData.FromDoubles(d, null);
        }
        else if (o.ElementKind == ValueKind.String)
        {
            var s = new string?[total];
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < o.ListLength![i]; k++) { s[offsets[i] + k] = strings.Get(o.L![i * o.Stride + k]); }
            }
            values = ColumnData.FromStrings(s);
        }
        else
        {
            var l = new long[total];
            for (int i = 0; i < n; i++) { o.L.AsSpan(i * o.Stride, o.ListLength![i]).CopyTo(l.AsSpan(offsets[i])); }
            values = o.ElementKind == ValueKind.Bool ? ColumnData.FromFlagLongs(l, null, total) : ColumnData.FromLongs(o.ElementKind, l, null);
        }
        return ColumnData.FromList(o.ElementKind, offsets, values, ColumnData.Validity(o.Valid.AsSpan(0, n)));
    }
}
