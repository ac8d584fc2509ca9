using Apache.Arrow;
using Floe.Core.Expressions;
using Floe.Core.Expressions.Evaluation;

namespace Floe.Core.Tests.Expressions;

/// <summary>
/// The shared Arrow evaluator against a row-at-a-time three-valued reference, on random columns with nulls (and NaN)
/// at every length 0–257, for every operator it covers, on whole arrays and on arrays sliced at odd bit offsets.
/// </summary>
public sealed class ArrowExpressionEvaluatorTests
{
    private sealed record Row(long? X, double? D, int? I, string? S, bool? P);

    private static bool? And(bool? a, bool? b) => a == false || b == false ? false : a is null || b is null ? null : true;

    private static bool? Or(bool? a, bool? b) => a == true || b == true ? true : a is null || b is null ? null : false;

    private static bool? Not(bool? a) => a is null ? null : !a;

    private static bool? Cmp<T>(T? v, T lit, string op)
        where T : struct, IComparable<T>
    {
        if (v is null) { return null; }
        if (v is double d && double.IsNaN(d)) { return op == "!="; }
        int c = v.Value.CompareTo(lit);
        return op switch { "=" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
    }

    private static readonly string[] Ops = ["=", "!=", "<", "<=", ">", ">="];

    private static IEnumerable<(string Text, Func<Row, bool?> Reference)> Cases()
    {
        foreach (var op in Ops)
        {
            yield return ($"x {op} 1", r => Cmp(r.X, 1L, op));
            yield return ($"1 {op} x", r => Cmp(r.X, 1L, Mirror(op)));
            yield return ($"d {op} 0.5", r => Cmp(r.D, 0.5, op));
            yield return ($"i {op} -1", r => Cmp(r.I, -1, op));
            yield return ($"s {op} 'b'", r => r.S is null ? null : Cmp<int>(string.CompareOrdinal(r.S, "b"), 0, op));
        }
        yield return ("p", r => r.P);
        yield return ("not p", r => Not(r.P));
        yield return ("p and x > 0", r => And(r.P, Cmp(r.X, 0L, ">")));
        yield return ("p or d < 0", r => Or(r.P, Cmp(r.D, 0.0, "<")));
        yield return ("not (x = 1 or i != 0) and p", r => And(Not(Or(Cmp(r.X, 1L, "="), Cmp(r.I, 0, "!="))), r.P));
        yield return ("x is null", r => r.X is null);
        yield return ("s is not null", r => r.S is not null);
        yield return ("x in (1, 2)", r => r.X is null ? null : r.X is 1 or 2);
        yield return ("x not in (1, 2)", r => r.X is null ? null : r.X is not (1 or 2));
        yield return ("s in ('a', null)", r => r.S == "a" ? true : null);
        yield return ("s not in ('a', null)", r => r.S == "a" ? false : null);
        yield return ("d in (0.5, 1.0)", r => r.D is null ? null : r.D is 0.5 or 1.0);
        yield return ("x = null", r => null);
        yield return ("p or true", r => true);
        yield return ("p and null", r => And(r.P, null));
    }

    private static string Mirror(string op) => op switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", _ => op };

    [Test]
    public void Evaluate_MatchesRowAtATimeReference_AtEveryLength()
    {
        var random = new Random(23);
        var cases = Cases().ToList();
        for (int n = 0; n <= 257; n++)
        {
            int offset = n % 3 == 0 ? random.Next(1, 13) : 0;
            var rows = RandomRows(random, n + offset);
            var batch = Slice(Build(rows), offset, n);
            rows = rows.Skip(offset).ToList();
            foreach (var (text, reference) in cases)
            {
                var result = ArrowExpressionEvaluator.Evaluate(ExpressionSyntax.Parse(text), name => batch.TryGetValue(name, out var a) ? a : null, n);
                for (int i = 0; i < n; i++)
                {
                    bool? got = result.IsNull(i) ? null : result.IsTrue(i);
                    bool? expected = reference(rows[i]);
                    // NUnit's assertion (a constraint and a message object per call) only where the values differ:
                    // run for each of ~33k rows x cases, it cost more than the evaluator under test.
                    if (got != expected) { Assert.That(got, Is.EqualTo(expected), $"'{text}' n={n} offset={offset} row {i}: {rows[i]}"); }
                }
            }
        }
    }

    [Test]
    public void Evaluate_ValueOperators_RunOnTheValueEvaluator_UnknownColumnsAndNonBooleansThrow()
    {
        var rows = RandomRows(new Random(1), 40);
        var batch = Build(rows);
        var result = ArrowExpressionEvaluator.Evaluate(ExpressionSyntax.Parse("x + 1 > 2"), name => batch.GetValueOrDefault(name), 40);
        for (int i = 0; i < 40; i++)
        {
            bool? expected = rows[i].X is { } x ? x + 1 > 2 : null;
            Assert.That(result.IsNull(i) ? (bool?)null : result.IsTrue(i), Is.EqualTo(expected), $"row {i}: {rows[i]}");
        }
        Assert.Throws<ExpressionException>(() => ArrowExpressionEvaluator.Evaluate(ExpressionSyntax.Parse("missing = 1"), name => batch.GetValueOrDefault(name), 40));
        Assert.Throws<ExpressionException>(() => ArrowExpressionEvaluator.Evaluate(ExpressionSyntax.Parse("x + 1"), name => batch.GetValueOrDefault(name), 40));
    }

    private static List<Row> RandomRows(Random random, int n)
    {
        var rows = new List<Row>(n);
        string[] words = ["a", "b", "c", "", "bb", "é"];
        double[] doubles = [0.5, 1.0, -1.0, double.NaN, 0.0, 2.5];
        for (int i = 0; i < n; i++)
        {
            rows.Add(new Row(
                random.Next(4) == 0 ? null : random.Next(-2, 4),
                random.Next(4) == 0 ? null : doubles[random.Next(doubles.Length)],
                random.Next(4) == 0 ? null : random.Next(-2, 2),
                random.Next(4) == 0 ? null : words[random.Next(words.Length)],
                random.Next(3) == 0 ? null : random.Next(2) == 0));
        }
        return rows;
    }

    private static Dictionary<string, IArrowArray> Build(List<Row> rows)
    {
        var x = new Int64Array.Builder();
        var d = new DoubleArray.Builder();
        var i32 = new Int32Array.Builder();
        var s = new StringArray.Builder();
        var p = new BooleanArray.Builder();
        foreach (var r in rows)
        {
            if (r.X is { } xv) { x.Append(xv); } else { x.AppendNull(); }
            if (r.D is { } dv) { d.Append(dv); } else { d.AppendNull(); }
            if (r.I is { } iv) { i32.Append(iv); } else { i32.AppendNull(); }
            if (r.S is { } sv) { s.Append(sv); } else { s.AppendNull(); }
            if (r.P is { } pv) { p.Append(pv); } else { p.AppendNull(); }
        }
        return new Dictionary<string, IArrowArray> { ["x"] = x.Build(), ["d"] = d.Build(), ["i"] = i32.Build(), ["s"] = s.Build(), ["p"] = p.Build() };
    }

    private static Dictionary<string, IArrowArray> Slice(Dictionary<string, IArrowArray> columns, int offset, int length)
    {
        if (offset == 0) { return columns; }
        var sliced = new Dictionary<string, IArrowArray>();
        foreach (var (name, array) in columns) { sliced[name] = ArrowArrayFactory.Slice(array, offset, length); }
        return sliced;
    }
}
