using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>Turns a fixed-stride <c>last_n</c> output buffer into a list column.</summary>
internal static class ListColumns
{
    public static ValueVector Create(AggOutputBuffer o, int n, StringPool strings)
    {
        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++) { offsets[i + 1] = offsets[i] + o.ListLength![i]; }
        int total = offsets[n];
        ValueVector values;
        if (o.D is not null)
        {
            var d = new double[total];
            for (int i = 0; i < n; i++) { o.D.AsSpan(i * o.Stride, o.ListLength![i]).CopyTo(d.AsSpan(offsets[i])); }
            values = ValueVector.FromDoubles(d, null);
        }
        else if (o.ElementKind == ValueKind.String)
        {
            var ids = GC.AllocateUninitializedArray<long>(total);
            for (int i = 0; i < n; i++) { o.L.AsSpan(i * o.Stride, o.ListLength![i]).CopyTo(ids.AsSpan(offsets[i])); }
            values = strings.Gather(ids, default, null);
        }
        else
        {
            var l = new long[total];
            for (int i = 0; i < n; i++) { o.L.AsSpan(i * o.Stride, o.ListLength![i]).CopyTo(l.AsSpan(offsets[i])); }
            values = o.ElementKind == ValueKind.Bool ? ValueVector.FromFlagLongs(l, null, total) : ValueVector.FromLongs(o.ElementKind, l, null);
        }
        return ValueVector.FromList(o.ElementKind, offsets, values, ValueVector.Validity(o.Valid.AsSpan(0, n)));
    }
}
