using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Iceberg.Expressions;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Expressions;

/// <summary>
/// The SIMD selection-bitmap count equals a scalar SQL-semantics reference (null and NaN never match) and RowFilter's
/// count, for every covered type and comparison, lengths 0–257, with and without nulls, and for conjunctions.
/// </summary>
[TestFixture]
public sealed class VectorizedFilterTests
{
    private static readonly Operation[] Comparisons = { Operation.Eq, Operation.NotEq, Operation.Lt, Operation.LtEq, Operation.Gt, Operation.GtEq };

    private static IEnumerable<int> Lengths()
    {
        for (var n = 0; n <= 257; n++) yield return n;
    }

    [TestCaseSource(nameof(Lengths))]
    public void TryCount_EveryTypeAndComparison_EqualsScalarReferenceAndRowFilter(int n)
    {
        var rng = new Random(n * 7919 + 1);
        foreach (var withNulls in new[] { false, true })
        {
            var columns = RandomColumns(rng, n, withNulls);
            var batch = new RecordBatch(Arrow(columns), columns.Select(c => c.Array).ToArray(), n);
            foreach (var column in columns)
            {
                foreach (var op in Comparisons)
                {
                    var literal = column.Literal(rng);
                    var predicate = new BoundPredicate(column.Field.Id, column.Field.Name, (PrimitiveType)column.Field.Type, op, new[] { literal });
                    Check(predicate, batch, columns);
                }
            }
            var a = columns[rng.Next(columns.Count)];
            var b = columns[rng.Next(columns.Count)];
            var and = Expression.And(
                new BoundPredicate(a.Field.Id, a.Field.Name, (PrimitiveType)a.Field.Type, Comparisons[rng.Next(6)], new[] { a.Literal(rng) }),
                new BoundPredicate(b.Field.Id, b.Field.Name, (PrimitiveType)b.Field.Type, Comparisons[rng.Next(6)], new[] { b.Literal(rng) }));
            Check(and, batch, columns);
        }
    }

    [Test]
    public void TryCount_NaNAndNullNeverMatch_EvenForNotEqual()
    {
        var values = new DoubleArray.Builder().Append(double.NaN).AppendNull().Append(1.0).Append(double.PositiveInfinity).Build();
        var field = new NestedField(1, "x", false, PrimitiveType.Double);
        var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(new Floe.Core.Types.Schema(0, new[] { field })), new IArrowArray[] { values }, 4);
        long Count(Operation op, double lit) =>
            VectorizedFilter.TryCount(new BoundPredicate(1, "x", PrimitiveType.Double, op, new object[] { lit }), batch, out var c) ? c : -1;

        Assert.That(Count(Operation.NotEq, 2.0), Is.EqualTo(2), "1 and +inf; not NaN, not null");
        Assert.That(Count(Operation.NotEq, double.NaN), Is.EqualTo(2));
        Assert.That(Count(Operation.Eq, double.NaN), Is.EqualTo(0));
        Assert.That(Count(Operation.Gt, 0.0), Is.EqualTo(2));
        Assert.That(Count(Operation.Lt, double.PositiveInfinity), Is.EqualTo(1));
    }

    [Test]
    public void TryCount_UncoveredNodes_AreReportedNotGuessed()
    {
        var values = new StringArray.Builder().Append("a").Build();
        var field = new NestedField(1, "s", false, PrimitiveType.String);
        var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(new Floe.Core.Types.Schema(0, new[] { field })), new IArrowArray[] { values }, 1);
        Assert.That(VectorizedFilter.TryCount(new BoundPredicate(1, "s", PrimitiveType.String, Operation.Eq, new object[] { "a" }), batch, out _), Is.False);
        var number = new BoundPredicate(1, "s", PrimitiveType.String, Operation.IsNull);
        Assert.That(VectorizedFilter.TryCount(number, batch, out _), Is.False);
    }

    private static void Check(Expression filter, RecordBatch batch, List<Column> columns)
    {
        Assert.That(VectorizedFilter.TryCount(filter, batch, out var count), Is.True, filter.ToString());
        var reference = 0L;
        for (var i = 0; i < batch.Length; i++) reference += Reference(filter, columns, i) ? 1 : 0;
        var keep = new bool[batch.Length];
        var rowFilter = new RowFilter(filter).Evaluate(batch, keep);
        Assert.That(count, Is.EqualTo(reference), filter.ToString());
        Assert.That(count, Is.EqualTo(rowFilter), filter.ToString());
    }

    private static bool Reference(Expression e, List<Column> columns, int row) => e switch
    {
        And a => Reference(a.Left, columns, row) && Reference(a.Right, columns, row),
        BoundPredicate p => columns.First(c => c.Field.Id == p.FieldId).Values[row] is { } v && Compare(v, p.Literals[0], p.Op),
        _ => throw new InvalidOperationException(),
    };

    private static bool Compare(object value, object literal, Operation op)
    {
        if (value is long or int && literal is long or int)
        {
            var a = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            var b = Convert.ToInt64(literal, System.Globalization.CultureInfo.InvariantCulture);
            return op switch
            {
                Operation.Eq => a == b,
                Operation.NotEq => a != b,
                Operation.Lt => a < b,
                Operation.LtEq => a <= b,
                Operation.Gt => a > b,
                _ => a >= b,
            };
        }
        var x = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        var y = Convert.ToDouble(literal, System.Globalization.CultureInfo.InvariantCulture);
        if (double.IsNaN(x) || double.IsNaN(y)) return false;
        return op switch
        {
            Operation.Eq => x == y,
            Operation.NotEq => x != y,
            Operation.Lt => x < y,
            Operation.LtEq => x <= y,
            Operation.Gt => x > y,
            _ => x >= y,
        };
    }

    private sealed record Column(NestedField Field, IArrowArray Array, object?[] Values, Func<Random, object> Literal);

    private static Apache.Arrow.Schema Arrow(List<Column> columns) =>
        Floe.Core.Arrow.ArrowSchemas.ToArrow(new Floe.Core.Types.Schema(0, columns.Select(c => c.Field).ToArray()));

    private static List<Column> RandomColumns(Random rng, int n, bool withNulls)
    {
        bool Null() => withNulls && rng.Next(5) == 0;
        var ints = new object?[n];
        var longs = new object?[n];
        var doubles = new object?[n];
        var floats = new object?[n];
        var dates = new object?[n];
        var times = new object?[n];
        var ib = new Int32Array.Builder();
        var lb = new Int64Array.Builder();
        var db = new DoubleArray.Builder();
        var fb = new FloatArray.Builder();
        var dtb = new Date32Array.Builder();
        var tb = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        for (var i = 0; i < n; i++)
        {
            if (Null()) { ib.AppendNull(); } else { var v = rng.Next(-20, 21); ib.Append(v); ints[i] = v; }
            // Values beyond 2^53 so a long compared as a double would be caught.
            if (Null()) { lb.AppendNull(); } else { var v = (1L << 60) + rng.Next(-20, 21); lb.Append(v); longs[i] = v; }
            if (Null()) { db.AppendNull(); } else { var v = rng.Next(10) == 0 ? double.NaN : rng.Next(-20, 21) / 4.0; db.Append(v); doubles[i] = v; }
            if (Null()) { fb.AppendNull(); } else { var v = rng.Next(10) == 0 ? float.NaN : rng.Next(-20, 21) / 4f; fb.Append(v); floats[i] = v; }
            if (Null()) { dtb.AppendNull(); } else { var v = 19_000 + rng.Next(-20, 21); dtb.Append(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + v)); dates[i] = v; }
            if (Null()) { tb.AppendNull(); } else { var v = 1_700_000_000_000_000L + rng.Next(-20, 21); tb.Append(DateTimeOffset.UnixEpoch.AddTicks(v * 10)); times[i] = v; }
        }
        return new List<Column>
        {
            new(new NestedField(1, "i", false, PrimitiveType.Int), ib.Build(), ints, r => r.Next(-22, 23)),
            new(new NestedField(2, "l", false, PrimitiveType.Long), lb.Build(), longs, r => (1L << 60) + r.Next(-22, 23)),
            new(new NestedField(3, "d", false, PrimitiveType.Double), db.Build(), doubles, r => r.Next(-22, 23) / 4.0),
            new(new NestedField(4, "f", false, PrimitiveType.Float), fb.Build(), floats, r => r.Next(-22, 23) / 4f),
            new(new NestedField(5, "dt", false, PrimitiveType.Date), dtb.Build(), dates, r => 19_000 + r.Next(-22, 23)),
            new(new NestedField(6, "t", false, PrimitiveType.TimestampTz), tb.Build(), times, r => 1_700_000_000_000_000L + r.Next(-22, 23)),
        };
    }
}
