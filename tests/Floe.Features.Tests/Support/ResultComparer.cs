using NUnit.Framework;
using Apache.Arrow;
using Floe.Features.Definitions;

namespace Floe.Features.Tests.Support;

/// <summary>Reads output cells as plain objects and compares engine output with the naive reference.</summary>
internal static class ResultComparer
{
    public static object? Cell(IArrowArray array, int row)
    {
        if (array.IsNull(row)) { return null; }
        return array switch
        {
            Int64Array a => a.GetValue(row),
            DoubleArray a => a.GetValue(row),
            StringArray a => a.GetString(row),
            BooleanArray a => a.GetValue(row),
            TimestampArray a => a.GetValue(row),
            ListArray l => Enumerable.Range(l.ValueOffsets[row], l.ValueOffsets[row + 1] - l.ValueOffsets[row])
                .Select(i => Cell(l.Values, i)).ToList(),
            _ => throw new NotSupportedException(array.GetType().Name),
        };
    }

    public static bool Same(object? expected, object? actual, AggregationKind? kind)
    {
        if (expected is null || actual is null) { return expected is null && actual is null; }
        if (expected is System.Collections.IList el && actual is System.Collections.IList al)
        {
            if (el.Count != al.Count) { return false; }
            for (int i = 0; i < el.Count; i++) { if (!Same(el[i], al[i], null)) { return false; } }
            return true;
        }
        if (expected is double ed && actual is double ad)
        {
            if (kind is AggregationKind.Variance or AggregationKind.Stddev)
            {
                if (double.IsNaN(ed) || double.IsNaN(ad)) { return double.IsNaN(ed) && double.IsNaN(ad); }
                return Math.Abs(ed - ad) <= 1e-9 * Math.Max(1, Math.Abs(ed));
            }
            return ed.Equals(ad);
        }
        return expected.Equals(actual);
    }

    /// <summary>Asserts every cell of two batches is bitwise equal (NaN payload aside).</summary>
    public static void AssertIdentical(RecordBatch expected, RecordBatch actual, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what + ": row count");
        Assert.That(actual.ColumnCount, Is.EqualTo(expected.ColumnCount), what + ": column count");
        for (int c = 0; c < expected.ColumnCount; c++)
        {
            // Cell by cell (a box each) only for a column the typed comparison does not find identical.
            if (IdenticalFixedWidth(expected.Column(c), actual.Column(c))) { continue; }
            for (int r = 0; r < expected.Length; r++)
            {
                var e = Cell(expected.Column(c), r);
                var a = Cell(actual.Column(c), r);
                bool same = e is double ed && a is double ad
                    ? BitConverter.DoubleToInt64Bits(ed) == BitConverter.DoubleToInt64Bits(ad) || (double.IsNaN(ed) && double.IsNaN(ad))
                    : Same(e, a, null);
                if (!same)
                {
                    Assert.Fail($"{what}: column {expected.Schema.GetFieldByIndex(c).Name} row {r}: expected {Show(e)}, got {Show(a)}");
                }
            }
        }
    }

    // Whether two columns of the same 64-bit type hold the same cells: nulls alike, longs equal, doubles of equal bits
    // or both NaN, as the cell-by-cell comparison judges them. False sends the column to that comparison.
    private static bool IdenticalFixedWidth(IArrowArray expected, IArrowArray actual)
    {
        if (expected.GetType() != actual.GetType() || expected.Length != actual.Length) { return false; }
        ReadOnlySpan<long> e, a;
        bool doubles = false;
        switch (expected, actual)
        {
            case (DoubleArray de, DoubleArray da):
                e = System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(de.Values);
                a = System.Runtime.InteropServices.MemoryMarshal.Cast<double, long>(da.Values);
                doubles = true;
                break;
            case (Int64Array le, Int64Array la): e = le.Values; a = la.Values; break;
            case (TimestampArray te, TimestampArray ta): e = te.Values; a = ta.Values; break;
            default: return false;
        }
        for (int r = 0; r < e.Length; r++)
        {
            bool eNull = expected.IsNull(r);
            if (eNull != actual.IsNull(r)) { return false; }
            if (eNull || e[r] == a[r]) { continue; }
            if (!doubles || !double.IsNaN(BitConverter.Int64BitsToDouble(e[r])) || !double.IsNaN(BitConverter.Int64BitsToDouble(a[r]))) { return false; }
        }
        return true;
    }

    public static string Show(object? v) => v switch
    {
        null => "null",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IList l => "[" + string.Join(", ", l.Cast<object?>().Select(Show)) + "]",
        _ => v.ToString() ?? "",
    };
}
