using System.Globalization;
using System.Text;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Application.Tests.Scanning;

/// <summary>
/// Property: for random rows written to a partitioned table and random predicates, a filtered scan returns exactly
/// the rows an in-memory evaluation with SQL three-valued logic selects — whatever pruning, bounds or partitions do.
/// </summary>
[TestFixture]
public sealed class ScanPropertyTests
{
    private sealed record Row(long Id, long TsSeconds, double? Amount, string? Cat, int? N);

    private abstract record Pred
    {
        public abstract bool? Eval(Row r);
        public abstract string Text { get; }
    }

    private sealed record Cmp(string Column, string Op, object Literal) : Pred
    {
        public override bool? Eval(Row r)
        {
            IComparable? v = Column switch
            {
                "id" => r.Id,
                "ts" => r.TsSeconds,
                "amount" => r.Amount,
                "cat" => r.Cat,
                _ => r.N,
            };
            if (v is null) return null;
            var c = v is string s ? string.CompareOrdinal(s, (string)Literal) : v.CompareTo(Convert.ChangeType(Literal, v.GetType(), CultureInfo.InvariantCulture));
            return Op switch { "=" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
        }

        public override string Text => $"{Column} {Op} {Lit(Column, Literal)}";
    }

    private sealed record IsNull(string Column, bool Negated) : Pred
    {
        public override bool? Eval(Row r)
        {
            var isNull = Column switch { "amount" => r.Amount is null, "cat" => r.Cat is null, _ => r.N is null };
            return Negated ? !isNull : isNull;
        }

        public override string Text => $"{Column} is {(Negated ? "not " : "")}null";
    }

    private sealed record In(string Column, object[] Literals) : Pred
    {
        public override bool? Eval(Row r)
        {
            object? v = Column switch { "cat" => r.Cat, "id" => r.Id, _ => r.N };
            if (v is null) return null;
            return Literals.Any(l => Equals(Convert.ChangeType(l, v.GetType(), CultureInfo.InvariantCulture), v));
        }

        public override string Text => $"{Column} in ({string.Join(", ", Literals.Select(l => Lit(Column, l)))})";
    }

    private sealed record Logic(string Op, Pred Left, Pred? Right) : Pred
    {
        public override bool? Eval(Row r)
        {
            var a = Left.Eval(r);
            if (Op == "not") return a is null ? null : !a;
            var b = Right!.Eval(r);
            if (Op == "and") return a == false || b == false ? false : a is null || b is null ? null : true;
            return a == true || b == true ? true : a is null || b is null ? null : false;
        }

        public override string Text => Op == "not" ? $"not ({Left.Text})" : $"({Left.Text}) {Op} ({Right!.Text})";
    }

    private static readonly DateTimeOffset Start = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Cats = { "a", "b", "c", "dd", "é" };

    private static string Lit(string column, object literal) => column switch
    {
        "ts" => "'" + Start.AddSeconds((long)literal).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "'",
        "cat" => "'" + literal + "'",
        _ => Convert.ToString(literal, CultureInfo.InvariantCulture)!,
    };

    private static Pred RandomPred(Random rnd, int depth)
    {
        if (depth > 0 && rnd.Next(3) == 0)
        {
            var op = new[] { "and", "or", "not" }[rnd.Next(3)];
            return new Logic(op, RandomPred(rnd, depth - 1), op == "not" ? null : RandomPred(rnd, depth - 1));
        }
        var ops = new[] { "=", "!=", "<", "<=", ">", ">=" };
        switch (rnd.Next(7))
        {
            case 0: return new Cmp("id", ops[rnd.Next(6)], (long)rnd.Next(0, 60));
            case 1: return new Cmp("ts", ops[rnd.Next(6)], (long)rnd.Next(0, 5 * 86400));
            case 2: return new Cmp("amount", ops[rnd.Next(6)], Math.Round(rnd.NextDouble() * 100 - 10, 1));
            case 3: return new Cmp("cat", ops[rnd.Next(6)], Cats[rnd.Next(Cats.Length)]);
            case 4: return new Cmp("n", ops[rnd.Next(6)], rnd.Next(-5, 5));
            case 5: return new IsNull(new[] { "amount", "cat", "n" }[rnd.Next(3)], rnd.Next(2) == 0);
            default: return rnd.Next(2) == 0 ? new In("cat", new object[] { Cats[rnd.Next(5)], Cats[rnd.Next(5)] }) : new In("n", new object[] { rnd.Next(-5, 5), rnd.Next(-5, 5) });
        }
    }

    private static string Csv(Row r) => string.Join(",",
        r.Id.ToString(CultureInfo.InvariantCulture),
        Start.AddSeconds(r.TsSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        r.Amount?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        r.Cat ?? "",
        r.N?.ToString(CultureInfo.InvariantCulture) ?? "");

    // Two random tables in the fast pass, each asked its first 12 predicates; the other four tables (the same premise
    // from other seeds) and all 25 predicates of each in the deep pass.
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3, Category = TestTier.Deep)]
    [TestCase(4, Category = TestTier.Deep)]
    [TestCase(5, Category = TestTier.Deep)]
    [TestCase(6, Category = TestTier.Deep)]
    [Category(TestTier.Sweep)]
    public void Scan_RandomTablesAndPredicates_EqualsInMemoryFilter(int seed)
    {
        var rnd = new Random(seed);
        using var w = new TempWarehouse();
        w.Tables.Create("p.t", "id:long not null,ts:timestamptz not null,amount:double,cat:string,n:int", "day(ts),bucket(3,id)");
        var rows = new List<Row>();
        // Several commits so that there are many manifests and files for pruning to skip.
        for (var commit = 0; commit < 3; commit++)
        {
            var batch = Enumerable.Range(0, rnd.Next(20, 120)).Select(_ => new Row(
                rnd.Next(0, 60), rnd.Next(0, 5 * 86400),
                rnd.Next(6) == 0 ? null : Math.Round(rnd.NextDouble() * 100 - 10, 1),
                rnd.Next(5) == 0 ? null : Cats[rnd.Next(Cats.Length)],
                rnd.Next(4) == 0 ? null : rnd.Next(-5, 5))).ToList();
            rows.AddRange(batch);
            var csv = new StringBuilder("id,ts,amount,cat,n\n");
            foreach (var r in batch) csv.Append(Csv(r)).Append('\n');
            w.Ingest.Ingest("p.t", w.WriteFile($"c{commit}.csv", csv.ToString()), new IngestOptions());
        }
        for (var q = 0; q < TestTier.Size(12, 25); q++)
        {
            var pred = RandomPred(rnd, 2);
            var expected = rows.Where(r => pred.Eval(r) == true).Select(Csv).OrderBy(s => s, StringComparer.Ordinal).ToList();
            var actual = w.ScanLines("p.t", new ScanRequest { Filter = pred.Text }).Skip(1).ToList();
            Assert.That(actual, Is.EqualTo(expected), $"filter: {pred.Text}");
        }
    }
}
