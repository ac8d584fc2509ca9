using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Core.Expressions;
using Floe.Core.Expressions.Evaluation;

namespace Floe.Core.Tests.Expressions;

/// <summary>
/// The vectorised value evaluator against a row-at-a-time reference written out here from the language's rules
/// (SQL nulls, Kleene logic, safe division, wrapping integers, IEEE doubles, UTF-8 byte order for strings): random
/// well-typed expressions over random Arrow columns with nulls, NaN, ±0, ±∞ and integer extremes, at every length
/// 0–257, on arrays sliced at odd offsets as well as whole ones.
/// </summary>
public sealed class ValueEvaluatorPropertyTests
{
    private sealed record Row(long? A, int? B, double? X, float? Y, bool? F, string? S, long? T);

    private static readonly string[] Words = ["a", "b", "", "ab", "é", "\uFF21", "\U0001F600", "1.5", "-7", "x\U0001F600", "\uE000"];
    private static readonly long[] Longs = [0, 1, -1, 2, 7, -3, long.MaxValue, long.MinValue, long.MinValue + 1];
    private static readonly double[] Doubles = [0.0, -0.0, 1.5, -2.25, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300, 3.0, -1.0, 9.3e18];
    private static readonly string[] Comparisons = ["=", "!=", "<", "<=", ">", ">="];

    [Test]
    public void Evaluate_MatchesRowAtATimeReference_OnRandomExpressionsAtEveryLength()
    {
        var random = new Random(2026);
        for (int n = 0; n <= 257; n++)
        {
            int offset = n % 2 == 1 ? random.Next(1, 12) | 1 : 0;
            var all = RandomRows(random, n + offset);
            var arrays = Slice(Build(all), offset, n);
            var rows = all.Skip(offset).ToList();
            for (int k = 0; k < 24; k++)
            {
                var kinds = new Dictionary<Expr, ValueKind>(ReferenceEqualityComparer.Instance);
                var target = (ValueKind)random.Next(5);
                if (target == ValueKind.Timestamp) { target = ValueKind.Bool; }
                var e = new Generator(random, kinds).Gen(target, 3);
                var got = ValueEvaluator.Evaluate(e, name => ArrowValues.ToVector(arrays[name]), n);
                Assert.That(got.Kind, Is.EqualTo(target), $"kind of {e}");
                var reference = new Reference(kinds);
                BooleanBits? predicate = target == ValueKind.Bool ? ArrowExpressionEvaluator.Evaluate(e, name => arrays[name], n) : null;
                for (int i = 0; i < n; i++)
                {
                    object? expected = reference.Eval(e, rows[i]);
                    object? actual = Read(got, i);
                    // NUnit's assertions (a constraint and a message object per call) only where the values differ:
                    // run for each of ~3k rows x 24 expressions, they cost more than the evaluators under test.
                    if (!Same(actual, expected)) { Assert.Fail($"n={n} offset={offset} row {i} {rows[i]}: {e} gave {Show(actual)}, expected {Show(expected)}"); }
                    if (predicate is not null)
                    {
                        object? viaArrow = predicate.IsNull(i) ? null : predicate.IsTrue(i);
                        if (!Equals(viaArrow, expected)) { Assert.That(viaArrow, Is.EqualTo(expected), $"predicate entry, n={n} row {i}: {e}"); }
                    }
                }
            }
        }
    }

    [Test]
    public void StringOrder_IsCodePointOrder_SurrogatePairsSortAboveTheEndOfTheBasicPlane()
    {
        // U+1F600 is a surrogate pair in UTF-16 (D83D DE00), which UTF-16 ordinal order puts below U+FF21;
        // by code point (and UTF-8 bytes: F0 9F 98 80 vs EF BC A1) it is above. The evaluator orders by code point.
        const string emoji = "\U0001F600", fullwidthA = "\uFF21";
        Assert.That(string.CompareOrdinal(emoji, fullwidthA), Is.LessThan(0), "UTF-16 ordinal puts the pair first");
        Assert.That(Encoding.UTF8.GetBytes(emoji).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(fullwidthA)), Is.GreaterThan(0), "UTF-8 bytes put it last");
        var column = new StringArray.Builder().Append(emoji).Append(fullwidthA).Append("\uE000").Append("z").Build();
        var e = ExpressionSyntax.Parse($"s < '{fullwidthA}'");
        var values = ValueEvaluator.Evaluate(e, _ => ArrowValues.ToVector(column), 4);
        var viaArrow = ArrowExpressionEvaluator.Evaluate(e, _ => column, 4);
        bool[] expected = [false, false, true, true];
        for (int i = 0; i < 4; i++)
        {
            Assert.That(((values.Bits![0] >> i) & 1) != 0, Is.EqualTo(expected[i]), $"value evaluator row {i}");
            Assert.That(viaArrow.IsTrue(i), Is.EqualTo(expected[i]), $"Arrow predicate row {i}");
        }
    }

    private static object? Read(ValueVector v, int i)
    {
        if (!v.IsValid(i)) { return null; }
        return v.Kind switch
        {
            ValueKind.Float64 => v.Doubles![i],
            ValueKind.Bool => ((v.Bits![i >> 6] >> (i & 63)) & 1) != 0,
            ValueKind.String => v.GetString(i),
            _ => v.Longs![i],
        };
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (double x, double y) => (double.IsNaN(x) && double.IsNaN(y)) || BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
        _ => Equals(a, b),
    };

    private static string Show(object? v) => v switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => $"{v} ({v.GetType().Name})",
    };

    /// <summary>Random well-typed expressions; records each node's kind for the reference's type unification.</summary>
    private sealed class Generator(Random random, Dictionary<Expr, ValueKind> kinds)
    {
        private T Pick<T>(T[] items) => items[random.Next(items.Length)];

        private Expr K(Expr e, ValueKind kind)
        {
            kinds[e] = kind;
            return e;
        }

        private ValueKind Numeric() => random.Next(2) == 0 ? ValueKind.Int64 : ValueKind.Float64;

        public Expr Gen(ValueKind kind, int depth)
        {
            if (depth == 0 || kind == ValueKind.Timestamp || random.Next(4) == 0) { return Leaf(kind); }
            int d = depth - 1;
            switch (kind)
            {
                case ValueKind.Int64:
                    switch (random.Next(11))
                    {
                        case 0: return K(new BinaryExpr(Pick(new[] { "+", "-", "*", "%" }), Gen(ValueKind.Int64, d), Gen(ValueKind.Int64, d)), kind);
                        case 1: return K(new UnaryExpr("-", Gen(ValueKind.Int64, d)), kind);
                        case 2: return K(new CastExpr(Gen(ValueKind.Float64, d), ValueKind.Int64), kind);
                        case 3: return K(new CallExpr("abs", [Gen(ValueKind.Int64, d)]), kind);
                        case 4: return Case(kind, d);
                        case 5: return K(new CallExpr("coalesce", [Gen(kind, d), Gen(kind, d), Gen(kind, d)]), kind);
                        case 6: return K(new CallExpr(Pick(new[] { "greatest", "least" }), [Gen(kind, d), Gen(kind, d), Gen(kind, d)]), kind);
                        case 7: return K(new CallExpr("if", [Gen(ValueKind.Bool, d), Gen(kind, d), Gen(kind, d)]), kind);
                        case 8: return K(new CastExpr(Gen(Pick(new[] { ValueKind.Bool, ValueKind.String, ValueKind.Timestamp }), d), ValueKind.Int64), kind);
                        case 9: return K(new BinaryExpr("-", Leaf(ValueKind.Timestamp), Leaf(ValueKind.Timestamp)), kind);
                        default: return K(new BinaryExpr("%", Gen(kind, d), K(new LiteralExpr(Pick(new[] { -1L, 0L, 3L })), kind)), kind);
                    }
                case ValueKind.Float64:
                    switch (random.Next(11))
                    {
                        case 0:
                            {
                                bool left = random.Next(2) == 0;
                                return K(new BinaryExpr(Pick(new[] { "+", "-", "*", "%" }), Gen(left ? kind : Numeric(), d), Gen(left ? Numeric() : kind, d)), kind);
                            }
                        case 1: return K(new BinaryExpr("/", Gen(Numeric(), d), Gen(Numeric(), d)), kind);
                        case 2: return K(new UnaryExpr("-", Gen(kind, d)), kind);
                        case 3: return K(new CastExpr(Gen(Pick(new[] { ValueKind.Int64, ValueKind.Bool, ValueKind.String }), d), kind), kind);
                        case 4: return K(new CallExpr(Pick(new[] { "abs", "sqrt", "floor", "ceil", "round", "ln", "exp", "log10" }), [Gen(kind, d)]), kind);
                        case 5: return K(new CallExpr("pow", [Gen(Numeric(), d), Gen(Numeric(), d)]), kind);
                        case 6: return K(new CallExpr("safe_div", random.Next(2) == 0 ? [Gen(Numeric(), d), Gen(Numeric(), d)] : [Gen(Numeric(), d), Gen(Numeric(), d), Gen(Numeric(), d)]), kind);
                        case 7: return K(new CallExpr("coalesce", [Gen(Numeric(), d), Gen(kind, d)]), kind);
                        case 8: return K(new CallExpr(Pick(new[] { "greatest", "least" }), [Gen(kind, d), Gen(Numeric(), d), Gen(Numeric(), d)]), kind);
                        case 9: return K(new CallExpr("iif", [Gen(ValueKind.Bool, d), Gen(Numeric(), d), Gen(kind, d)]), kind);
                        default: return Case(kind, d, mixed: true);
                    }
                case ValueKind.Bool:
                    switch (random.Next(12))
                    {
                        case 0: return K(new BinaryExpr(Pick(Comparisons), Gen(Numeric(), d), Gen(Numeric(), d)), kind);
                        case 1: return K(new BinaryExpr(Pick(Comparisons), Gen(Numeric(), d), Leaf(Numeric(), literal: true)), kind);
                        case 2: return K(new BinaryExpr(Pick(Comparisons), Leaf(Numeric(), literal: true), Gen(Numeric(), d)), kind);
                        case 3: return K(new BinaryExpr(Pick(Comparisons), Gen(ValueKind.String, d), Gen(ValueKind.String, d)), kind);
                        case 4: return K(new BinaryExpr(Pick(Comparisons), Gen(kind, d), Gen(kind, d)), kind);
                        case 5: return K(new BinaryExpr(Pick(new[] { "and", "or" }), Gen(kind, d), Gen(kind, d)), kind);
                        case 6: return K(new UnaryExpr("not", Gen(kind, d)), kind);
                        case 7: return K(new IsNullExpr(Gen((ValueKind)random.Next(4), d), random.Next(2) == 0), kind);
                        case 8:
                            {
                                var operand = Gen(ValueKind.Int64, d);
                                var list = new List<Expr> { Leaf(ValueKind.Int64, literal: true), Leaf(ValueKind.Int64, literal: true) };
                                if (random.Next(3) == 0) { list.Add(new LiteralExpr(null)); }
                                return K(new InExpr(operand, list, random.Next(2) == 0), kind);
                            }
                        case 9: return K(new CallExpr("is_nan", [Gen(Numeric(), d)]), kind);
                        case 10: return K(new CastExpr(Gen(Numeric(), d), kind), kind);
                        default: return Case(kind, d);
                    }
                default:
                    switch (random.Next(4))
                    {
                        case 0: return K(new CastExpr(Gen(Pick(new[] { ValueKind.Int64, ValueKind.Float64, ValueKind.Bool }), d), kind), kind);
                        case 1: return Case(kind, d);
                        case 2: return K(new CallExpr("coalesce", [Gen(kind, d), Gen(kind, d)]), kind);
                        default: return K(new CallExpr("if", [Gen(ValueKind.Bool, d), Gen(kind, d), Gen(kind, d)]), kind);
                    }
            }
        }

        private Expr Case(ValueKind kind, int d, bool mixed = false)
        {
            var branches = new List<(Expr, Expr)>();
            int count = random.Next(1, 4);
            for (int i = 0; i < count; i++) { branches.Add((Gen(ValueKind.Bool, d), Gen(mixed && i > 0 ? Numeric() : kind, d))); }
            Expr? otherwise = random.Next(3) == 0 ? null : Gen(mixed ? Numeric() : kind, d);
            return K(new CaseExpr(branches, otherwise), kind);
        }

        public Expr Leaf(ValueKind kind, bool literal = false)
        {
            bool lit = literal || random.Next(3) == 0;
            return kind switch
            {
                ValueKind.Int64 => K(lit ? new LiteralExpr(Pick(Longs)) : new ColumnExpr(random.Next(2) == 0 ? "a" : "b"), kind),
                ValueKind.Float64 => K(lit ? new LiteralExpr(Pick(Doubles)) : new ColumnExpr(random.Next(2) == 0 ? "x" : "y"), kind),
                ValueKind.Bool => K(lit ? new LiteralExpr(random.Next(2) == 0) : new ColumnExpr("f"), kind),
                ValueKind.String => K(lit ? new LiteralExpr(Pick(Words)) : new ColumnExpr("s"), kind),
                _ => K(new ColumnExpr("t"), kind),
            };
        }
    }

    /// <summary>One row at a time, straight from the rules.</summary>
    private sealed class Reference(Dictionary<Expr, ValueKind> kinds)
    {
        public object? Eval(Expr e, Row r)
        {
            switch (e)
            {
                case LiteralExpr l: return l.Value;
                case ColumnExpr c:
                    return c.Name switch
                    {
                        "a" => r.A,
                        "b" => r.B is { } b ? (long)b : null,
                        "x" => r.X,
                        "y" => r.Y is { } y ? (double)y : null,
                        "f" => r.F,
                        "s" => r.S,
                        _ => r.T,
                    };
                case UnaryExpr { Op: "not" } u: return Eval(u.Operand, r) is bool b0 ? !b0 : null;
                case UnaryExpr u: return Eval(u.Operand, r) switch { long l => unchecked(-l), double d => -d, _ => null };
                case BinaryExpr { Op: "and" } b: return And(Eval(b.Left, r) as bool?, Eval(b.Right, r) as bool?);
                case BinaryExpr { Op: "or" } b: return Or(Eval(b.Left, r) as bool?, Eval(b.Right, r) as bool?);
                case BinaryExpr b when Comparisons.Contains(b.Op): return Compare(b.Op, Eval(b.Left, r), Eval(b.Right, r));
                case BinaryExpr b: return Arithmetic(b.Op, Eval(b.Left, r), Eval(b.Right, r));
                case IsNullExpr isNull: return (Eval(isNull.Operand, r) is null) != isNull.Negated;
                case InExpr inList:
                    {
                        var x = Eval(inList.Operand, r);
                        bool? any = false;
                        foreach (var v in inList.Values) { any = Or(any, Compare("=", x, Eval(v, r)) as bool?); }
                        return inList.Negated ? (any is null ? null : !any) : any;
                    }
                case CastExpr cast: return Cast(Eval(cast.Operand, r), cast.Target);
                case CaseExpr ce:
                    {
                        var kind = kinds[e];
                        foreach (var (when, then) in ce.Branches)
                        {
                            if (Eval(when, r) is true) { return To(kind, Eval(then, r)); }
                        }
                        return ce.Else is null ? null : To(kind, Eval(ce.Else, r));
                    }
                case CallExpr call: return Call(call, r);
                default: throw new InvalidOperationException(e.ToString());
            }
        }

        private static bool? And(bool? a, bool? b) => a == false || b == false ? false : a is null || b is null ? null : true;

        private static bool? Or(bool? a, bool? b) => a == true || b == true ? true : a is null || b is null ? null : false;

        // Unifying widens longs to doubles; other kinds arrive already in the wanted kind.
        private static object? To(ValueKind kind, object? v) => kind == ValueKind.Float64 && v is long l ? (double)l : v;

        private static object? Compare(string op, object? x, object? y)
        {
            if (x is null || y is null) { return null; }
            int c;
            switch (x, y)
            {
                case (string s, string t):
                    c = Encoding.UTF8.GetBytes(s).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(t));
                    break;
                case (bool p, bool q):
                    c = p.CompareTo(q);
                    break;
                case (long p, long q):
                    c = p.CompareTo(q);
                    break;
                default:
                    {
                        double p = Convert.ToDouble(x, CultureInfo.InvariantCulture), q = Convert.ToDouble(y, CultureInfo.InvariantCulture);
                        return op switch { "=" => p == q, "!=" => p != q, "<" => p < q, "<=" => p <= q, ">" => p > q, _ => p >= q };
                    }
            }
            return op switch { "=" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
        }

        private static object? Arithmetic(string op, object? x, object? y)
        {
            if (x is null || y is null) { return null; }
            if (op == "/")
            {
                double q = Convert.ToDouble(y, CultureInfo.InvariantCulture);
                return q == 0.0 ? null : Convert.ToDouble(x, CultureInfo.InvariantCulture) / q;
            }
            if (x is long a && y is long b)
            {
                return op switch
                {
                    "+" => unchecked(a + b),
                    "-" => unchecked(a - b),
                    "*" => unchecked(a * b),
                    _ => b == 0 || (b == -1 && a == long.MinValue) ? null : a % b,
                };
            }
            double p = Convert.ToDouble(x, CultureInfo.InvariantCulture), r = Convert.ToDouble(y, CultureInfo.InvariantCulture);
            return op switch { "+" => p + r, "-" => p - r, "*" => p * r, _ => r == 0.0 ? null : p % r };
        }

        private static object? Cast(object? v, ValueKind target)
        {
            switch (v, target)
            {
                case (null, _): return null;
                case (double d, ValueKind.Int64):
                    {
                        double t = Math.Truncate(d);
                        return t >= -9.2233720368547758E18 && t < 9.2233720368547758E18 ? (long)t : null;
                    }
                case (bool b, ValueKind.Int64): return b ? 1L : 0L;
                case (bool b, ValueKind.Float64): return b ? 1.0 : 0.0;
                case (string s, ValueKind.Int64): return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsedLong) ? parsedLong : null;
                case (string s, ValueKind.Float64): return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedDouble) ? parsedDouble : null;
                case (long l, ValueKind.Float64): return (double)l;
                case (long l, ValueKind.Bool): return l != 0;
                case (double d, ValueKind.Bool): return d != 0.0;
                case (double d, ValueKind.String): return d.ToString("R", CultureInfo.InvariantCulture);
                case (bool b, ValueKind.String): return b ? "true" : "false";
                case (long l, ValueKind.String): return l.ToString(CultureInfo.InvariantCulture);
                default: return v;
            }
        }

        private object? Call(CallExpr call, Row r)
        {
            var kind = kinds[call];
            var args = call.Args.Select(a => Eval(a, r)).ToArray();
            switch (call.Name)
            {
                case "coalesce": return To(kind, args.FirstOrDefault(a => a is not null));
                case "if" or "iif": return To(kind, args[0] is true ? args[1] : args[2]);
                case "safe_div":
                    {
                        var q = Arithmetic("/", args[0], args[1]);
                        return q ?? (args.Length == 3 ? To(ValueKind.Float64, args[2]) : null);
                    }
                case "greatest" or "least":
                    {
                        object? best = null;
                        foreach (var a in args)
                        {
                            var v = To(kind, a);
                            if (v is null) { continue; }
                            if (best is null) { best = v; continue; }
                            bool beyond = v is long l ? (call.Name == "greatest" ? l > (long)best : l < (long)best)
                                : call.Name == "greatest" ? (double)v > (double)best : (double)v < (double)best;
                            if (beyond) { best = v; }
                        }
                        return best;
                    }
                case "abs" when args[0] is long l: return l == long.MinValue ? 0L : Math.Abs(l);
                case "is_nan": return args[0] is null ? null : args[0] is double d && double.IsNaN(d);
                case "pow": return args[0] is null || args[1] is null ? null : Math.Pow(Convert.ToDouble(args[0], CultureInfo.InvariantCulture), Convert.ToDouble(args[1], CultureInfo.InvariantCulture));
            }
            if (args[0] is null) { return null; }
            double x = Convert.ToDouble(args[0], CultureInfo.InvariantCulture);
            return call.Name switch
            {
                "abs" => Math.Abs(x),
                "sqrt" => Math.Sqrt(x),
                "floor" => Math.Floor(x),
                "ceil" => Math.Ceiling(x),
                "round" => Math.Round(x, MidpointRounding.ToEven),
                "ln" => Math.Log(x),
                "exp" => Math.Exp(x),
                _ => Math.Log10(x),
            };
        }
    }

    private static List<Row> RandomRows(Random random, int n)
    {
        var rows = new List<Row>(n);
        for (int i = 0; i < n; i++)
        {
            rows.Add(new Row(
                random.Next(5) == 0 ? null : random.Next(3) == 0 ? Longs[random.Next(Longs.Length)] : random.Next(-9, 10),
                random.Next(5) == 0 ? null : random.Next(-4, 5),
                random.Next(5) == 0 ? null : random.Next(2) == 0 ? Doubles[random.Next(Doubles.Length)] : Math.Round((random.NextDouble() - 0.5) * 20, 2),
                random.Next(5) == 0 ? null : (float)random.Next(-8, 9) / 4,
                random.Next(4) == 0 ? null : random.Next(2) == 0,
                random.Next(5) == 0 ? null : Words[random.Next(Words.Length)],
                random.Next(5) == 0 ? null : 1_700_000_000_000_000L + random.Next(-5, 6)));
        }
        return rows;
    }

    private static Dictionary<string, IArrowArray> Build(List<Row> rows)
    {
        var a = new Int64Array.Builder();
        var b = new Int32Array.Builder();
        var x = new DoubleArray.Builder();
        var y = new FloatArray.Builder();
        var f = new BooleanArray.Builder();
        var s = new StringArray.Builder();
        var t = new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"));
        foreach (var r in rows)
        {
            if (r.A is { } av) { a.Append(av); } else { a.AppendNull(); }
            if (r.B is { } bv) { b.Append(bv); } else { b.AppendNull(); }
            if (r.X is { } xv) { x.Append(xv); } else { x.AppendNull(); }
            if (r.Y is { } yv) { y.Append(yv); } else { y.AppendNull(); }
            if (r.F is { } fv) { f.Append(fv); } else { f.AppendNull(); }
            if (r.S is { } sv) { s.Append(sv); } else { s.AppendNull(); }
            if (r.T is { } tv) { t.Append(DateTimeOffset.UnixEpoch.AddTicks(tv * 10)); } else { t.AppendNull(); }
        }
        return new Dictionary<string, IArrowArray>
        {
            ["a"] = a.Build(),
            ["b"] = b.Build(),
            ["x"] = x.Build(),
            ["y"] = y.Build(),
            ["f"] = f.Build(),
            ["s"] = s.Build(),
            ["t"] = t.Build(),
        };
    }

    private static Dictionary<string, IArrowArray> Slice(Dictionary<string, IArrowArray> columns, int offset, int length)
    {
        var sliced = new Dictionary<string, IArrowArray>();
        foreach (var (name, array) in columns) { sliced[name] = offset == 0 ? array : ArrowArrayFactory.Slice(array, offset, length); }
        return sliced;
    }
}
