using Apache.Arrow;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Tests.Columns;

/// <summary>
/// Validity and boolean values cross between Arrow and engine columns as bitmaps: sliced Arrow arrays (every bit
/// offset) read back row for row, and engine slices (every start) write Arrow arrays Arrow itself reads the same.
/// </summary>
public sealed class ArrowColumnsBitmapTests
{
    [Test]
    public void FromArray_SlicedBooleansWithNulls_MatchArrowRowByRow()
    {
        var random = new Random(7);
        const int n = 200;
        var b = new BooleanArray.Builder();
        var expected = new bool?[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = random.Next(4) == 0 ? null : random.Next(2) == 0;
            if (expected[i] is { } v) { b.Append(v); } else { b.AppendNull(); }
        }
        var whole = b.Build();
        for (int offset = 0; offset < 70; offset++)
        {
            int length = n - offset - random.Next(10);
            var slice = (BooleanArray)ArrowArrayFactory.Slice(whole, offset, length);
            var column = ArrowColumns.FromArray(slice, "flag");
            Assert.That(column.Kind, Is.EqualTo(ValueKind.Bool));
            for (int i = 0; i < length; i++)
            {
                bool? got = column.IsValid(i) ? column.GetBool(i) : null;
                if (got != expected[offset + i]) { Assert.That(got, Is.EqualTo(expected[offset + i]), $"offset {offset}, row {i}"); }
            }
        }
    }

    [Test]
    public void ToArray_EveryStart_WritesTheSameValuesAndNulls()
    {
        var random = new Random(8);
        const int n = 300;
        var values = new long[n];
        var valid = new bool[n];
        var flags = new bool[n];
        for (int i = 0; i < n; i++) { values[i] = random.NextInt64(); valid[i] = random.Next(3) > 0; flags[i] = random.Next(2) == 0; }
        var longs = ValueVector.FromLongs(ValueKind.Int64, values, ValueVector.Validity(valid));
        var bools = ValueVector.FromBools(flags, ValueVector.Validity(valid));
        foreach (int start in new[] { 0, 1, 7, 8, 63, 64, 65, 128, 200 })
        {
            int count = n - start - 3;
            var l = (Int64Array)ArrowColumns.ToArray(longs, start, count);
            var f = (BooleanArray)ArrowColumns.ToArray(bools, start, count);
            int nulls = 0;
            for (int i = 0; i < count; i++)
            {
                nulls += valid[start + i] ? 0 : 1;
                Assert.That(l.GetValue(i), Is.EqualTo(valid[start + i] ? values[start + i] : null), $"start {start}, row {i}");
                Assert.That(f.GetValue(i), Is.EqualTo(valid[start + i] ? flags[start + i] : null), $"start {start}, row {i}");
            }
            Assert.That(l.NullCount, Is.EqualTo(nulls));
            Assert.That(f.NullCount, Is.EqualTo(nulls));
        }
    }
}
