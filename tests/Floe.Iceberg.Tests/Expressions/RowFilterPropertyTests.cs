using NUnit.Framework;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Iceberg.Expressions;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Tests.Expressions;

/// <summary>
/// Random rows and random predicates: RowFilter equals a naive three-valued evaluation of the original tree, and
/// partition, manifest and metrics evaluators never exclude a file holding a matching row.
/// </summary>
[TestFixture]
public sealed class RowFilterPropertyTests
{
    private static readonly Floe.Core.Types.Schema Schema = new(0, new[]
    {
        new NestedField(1, "a", false, PrimitiveType.Int),
        new NestedField(2, "b", false, PrimitiveType.Long),
        new NestedField(3, "c", false, PrimitiveType.Double),
        new NestedField(4, "s", false, PrimitiveType.String),
        new NestedField(5, "t", false, PrimitiveType.TimestampTz),
    });

    private static readonly string[] Strings = { "", "a", "ab", "abc", "b", "ba", "é", "😀", "zz" };
    private const long Hour = 3_600_000_000L;

    private static object? RandomValue(Random rng, int col) => rng.Next(6) == 0 ? null : col switch
    {
        0 => rng.Next(-5, 6),
        1 => (long)rng.Next(-50, 51),
        2 => rng.Next(8) == 0 ? double.NaN : rng.Next(-10, 11) / 2.0,
        3 => Strings[rng.Next(Strings.Length)],
        _ => 1_700_000_000_000_000L + rng.Next(-72, 72) * Hour + rng.Next(0, 2) * 1000,
    };

    private static Expression RandomExpr(Random rng, int depth)
    {
        var k = depth >= 3 ? 3 : rng.Next(6);
        switch (k)
        {
            case 0: return new And(RandomExpr(rng, depth + 1), RandomExpr(rng, depth + 1));
            case 1: return new Or(RandomExpr(rng, depth + 1), RandomExpr(rng, depth + 1));
            case 2: return new Not(RandomExpr(rng, depth + 1));
            default:
                {
                    var col = rng.Next(5);
                    var f = Schema.Fields[col];
                    var op = (Operation)rng.Next(10);
                    object Lit()
                    {
                        object? v;
                        do v = RandomValue(rng, col); while (v is null || (v is double d && double.IsNaN(d)));
                        return v;
                    }
                    var lits = op switch
                    {
                        Operation.IsNull or Operation.NotNull => System.Array.Empty<object>(),
                        Operation.In or Operation.NotIn => Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Lit()).ToArray(),
                        _ => new[] { Lit() },
                    };
                    return new BoundPredicate(f.Id, f.Name, (PrimitiveType)f.Type, op, lits);
                }
        }
    }

    /// <summary>Kleene logic: null = unknown.</summary>
    private static bool? Naive(Expression e, object?[] row) => e switch
    {
        AlwaysTrue => true,
        AlwaysFalse => false,
        And a => Naive(a.Left, row) is var l && Naive(a.Right, row) is var r && (l == false || r == false) ? false : l == true && r == true ? true : null,
        Or o => Naive(o.Left, row) is var l && Naive(o.Right, row) is var r && (l == true || r == true) ? true : l == false && r == false ? false : null,
        Not n => Naive(n.Child, row) is { } v ? !v : null,
        BoundPredicate p => NaivePredicate(p, row[p.FieldId - 1]),
        _ => throw new InvalidOperationException(),
    };

    private static bool? NaivePredicate(BoundPredicate p, object? v)
    {
        if (p.Op == Operation.IsNull) return v is null;
        if (p.Op == Operation.NotNull) return v is not null;
        if (v is null || (v is double d && double.IsNaN(d))) return null;
        int Cmp(object l) => v switch
        {
            int i => i.CompareTo((int)l),
            long x => x.CompareTo((long)l),
            double x => x.CompareTo((double)l),
            string s => Utf8Cmp(s, (string)l),
            _ => throw new InvalidOperationException(),
        };
        return p.Op switch
        {
            Operation.Eq => Cmp(p.Literal) == 0,
            Operation.NotEq => Cmp(p.Literal) != 0,
            Operation.Lt => Cmp(p.Literal) < 0,
            Operation.LtEq => Cmp(p.Literal) <= 0,
            Operation.Gt => Cmp(p.Literal) > 0,
            Operation.GtEq => Cmp(p.Literal) >= 0,
            Operation.In => p.Literals.Any(l => Cmp(l) == 0),
            _ => !p.Literals.Any(l => Cmp(l) == 0),
        };
    }

    private static int Utf8Cmp(string a, string b) =>
        System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b));

    private static RecordBatch ToBatch(List<object?[]> rows)
    {
        var a = new Int32Array.Builder();
        var b = new Int64Array.Builder();
        var c = new DoubleArray.Builder();
        var s = new StringArray.Builder();
        var t = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        foreach (var r in rows)
        {
            if (r[0] is int av) a.Append(av); else a.AppendNull();
            if (r[1] is long bv) b.Append(bv); else b.AppendNull();
            if (r[2] is double cv) c.Append(cv); else c.AppendNull();
            if (r[3] is string sv) s.Append(sv); else s.AppendNull();
            if (r[4] is long tv) t.Append(DateTimeOffset.UnixEpoch.AddTicks(tv * 10)); else t.AppendNull();
        }
        var schema = new Apache.Arrow.Schema.Builder()
            .Field(f => f.Name("a").DataType(Int32Type.Default).Nullable(true))
            .Field(f => f.Name("b").DataType(Int64Type.Default).Nullable(true))
            .Field(f => f.Name("c").DataType(DoubleType.Default).Nullable(true))
            .Field(f => f.Name("s").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("t").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")).Nullable(true))
            .Build();
        return new RecordBatch(schema, new IArrowArray[] { a.Build(), b.Build(), c.Build(), s.Build(), t.Build() }, rows.Count);
    }

    [Test]
    public void Evaluate_RandomRowsAndPredicates_MatchesNaiveEvaluation([Range(0, 149)] int seed)
    {
        var rng = new Random(seed);
        var rows = Enumerable.Range(0, rng.Next(0, 200)).Select(_ => Enumerable.Range(0, 5).Select(c => RandomValue(rng, c)).ToArray()).ToList();
        var batch = ToBatch(rows);
        for (var k = 0; k < 10; k++)
        {
            var e = RandomExpr(rng, 0);
            var selection = new bool[rows.Count];
            var count = new RowFilter(e).Evaluate(batch, selection);
            for (var i = 0; i < rows.Count; i++)
            {
                // The row's text only for a difference: it was built for every row of every case.
                var expected = Naive(e, rows[i]) == true;
                if (selection[i] != expected) Assert.That(selection[i], Is.EqualTo(expected), $"row {i} ({string.Join(", ", rows[i].Select(v => v ?? "null"))}) for {e}");
            }
            Assert.That(count, Is.EqualTo(selection.Count(x => x)));
        }
    }

    [Test]
    public void Evaluators_RandomFiles_NeverExcludeMatchingRows([Range(0, 99)] int seed)
    {
        var rng = new Random(seed);
        var spec = PartitionSpecBuilder.Parse(
            new[] { "a", "bucket(4,b)", "truncate(1,s)", "day(t)", "hour(t),truncate(3,a)", "month(t),truncate(10,b)", "year(t),c" }[seed % 7], Schema);
        var rows = Enumerable.Range(0, rng.Next(1, 120)).Select(_ => Enumerable.Range(0, 5).Select(c => RandomValue(rng, c)).ToArray()).ToList();
        var files = rows.GroupBy(r => new PartitionData(spec.Fields.Select(f =>
            TransformFunctions.Apply(f.Transform, (PrimitiveType)Schema.FindField(f.SourceId)!.Type, r[f.SourceId - 1])).ToArray())).ToList();
        var dataFiles = files.Select(g => (File: BuildFile(g.Key, g.ToList()), Rows: g.ToList())).ToList();
        var summaries = Summaries(spec, files.Select(g => g.Key).ToList());
        for (var k = 0; k < 20; k++)
        {
            var e = RandomExpr(rng, 0);
            var anyMatch = false;
            foreach (var (file, fileRows) in dataFiles)
            {
                var matches = fileRows.Any(r => Naive(e, r) == true);
                anyMatch |= matches;
                if (!matches) continue;
                Assert.That(new PartitionEvaluator(e, spec, Schema).MayMatch(file), Is.True, $"partition evaluator excluded {file.Partition} for {e}");
                Assert.That(new InclusiveMetricsEvaluator(e).MayMatch(file), Is.True, $"metrics evaluator excluded {file.Partition} for {e}");
            }
            if (anyMatch)
            {
                Assert.That(new ManifestEvaluator(e, spec, Schema).MayMatch(summaries), Is.True, $"manifest evaluator excluded for {e}");
            }
        }
    }

    private static DataFile BuildFile(PartitionData partition, List<object?[]> rows)
    {
        var values = new Dictionary<int, long>();
        var nulls = new Dictionary<int, long>();
        var nans = new Dictionary<int, long>();
        var lower = new Dictionary<int, byte[]>();
        var upper = new Dictionary<int, byte[]>();
        foreach (var f in Schema.Fields)
        {
            var type = (PrimitiveType)f.Type;
            var col = rows.Select(r => r[f.Id - 1]).ToList();
            values[f.Id] = col.Count;
            nulls[f.Id] = col.Count(v => v is null);
            if (type.Id == TypeId.Double) nans[f.Id] = col.Count(v => v is double d && double.IsNaN(d));
            var real = col.Where(v => v is not null && !(v is double d && double.IsNaN(d))).ToList();
            if (real.Count == 0) continue;
            Comparison<object> cmp = (x, y) => x is string sx ? Utf8Cmp(sx, (string)y) : ((IComparable)x).CompareTo(y);
            real.Sort(cmp!);
            lower[f.Id] = Conversions.ToBytes(type, real[0]!);
            upper[f.Id] = Conversions.ToBytes(type, real[^1]!);
        }
        return new DataFile
        {
            FilePath = "f",
            Partition = partition,
            RecordCount = rows.Count,
            ValueCounts = values,
            NullValueCounts = nulls,
            NanValueCounts = nans,
            LowerBounds = lower,
            UpperBounds = upper,
        };
    }

    private static List<PartitionFieldSummary> Summaries(PartitionSpec spec, List<PartitionData> parts)
    {
        var result = new List<PartitionFieldSummary>();
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var f = spec.Fields[i];
            var type = f.Transform.ResultType((PrimitiveType)Schema.FindField(f.SourceId)!.Type);
            var vals = parts.Select(p => p[i]).ToList();
            var real = vals.Where(v => v is not null && !(v is double d && double.IsNaN(d))).ToList();
            real.Sort((x, y) => x is string sx ? Utf8Cmp(sx, (string)y!) : ((IComparable)x!).CompareTo(y));
            result.Add(new PartitionFieldSummary(
                vals.Any(v => v is null),
                type.Id == TypeId.Double ? vals.Any(v => v is double d && double.IsNaN(d)) : null,
                real.Count == 0 ? null : Conversions.ToBytes(type, real[0]!),
                real.Count == 0 ? null : Conversions.ToBytes(type, real[^1]!)));
        }
        return result;
    }
}
