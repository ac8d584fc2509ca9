using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;

namespace Floe.Features.Tests.Expressions;

/// <summary>
/// Boolean operators over bit-packed columns with validity bitmaps (and, or, not, is null, comparisons, casts to and
/// from bool) against a row-at-a-time three-valued reference, on random columns with nulls at every length 0–257.
/// </summary>
public sealed class ThreeValuedLogicTests
{
    private static bool? And(bool? a, bool? b) => a == false || b == false ? false : a is null || b is null ? null : true;

    private static bool? Or(bool? a, bool? b) => a == true || b == true ? true : a is null || b is null ? null : false;

    private static bool? Not(bool? a) => a is null ? null : !a;

    private static readonly (string Text, Func<bool?, bool?, long?, bool?> Reference)[] Cases =
    [
        ("p and q", (p, q, x) => And(p, q)),
        ("p or q", (p, q, x) => Or(p, q)),
        ("not p", (p, q, x) => Not(p)),
        ("p is null", (p, q, x) => p is null),
        ("q is not null", (p, q, x) => q is not null),
        ("(p and x > 0) or not q", (p, q, x) => Or(And(p, x is null ? null : x > 0), Not(q))),
        ("p = q", (p, q, x) => p is null || q is null ? null : p == q),
        ("x in (1, 2) and p", (p, q, x) => And(x is null ? null : x is 1 or 2, p)),
        ("cast(x as boolean) or p", (p, q, x) => Or(x is null ? null : x != 0, p)),
        ("cast(p as bigint) = 1", (p, q, x) => p is null ? null : p == true),
        ("coalesce(p, q, false)", (p, q, x) => p ?? q ?? false),
        ("case when p then q else not q end", (p, q, x) => p == true ? q : Not(q)),
    ];

    [Test]
    public void BooleanOperators_MatchRowAtATimeReference_AtEveryLength()
    {
        var random = new Random(17);
        for (int n = 0; n <= 257; n++)
        {
            var p = new bool?[n];
            var q = new bool?[n];
            var x = new long?[n];
            for (int i = 0; i < n; i++)
            {
                p[i] = random.Next(3) == 0 ? null : random.Next(2) == 0;
                q[i] = random.Next(3) == 0 ? null : random.Next(2) == 0;
                x[i] = random.Next(4) == 0 ? null : random.Next(-2, 3);
            }
            var columns = new Dictionary<string, ValueVector>
            {
                ["p"] = Bools(p),
                ["q"] = Bools(q),
                ["x"] = ValueVector.FromLongs(ValueKind.Int64, Array.ConvertAll(x, v => v ?? 0), ValueVector.Validity(Array.ConvertAll(x, v => v is not null))),
            };
            foreach (var (text, reference) in Cases)
            {
                var result = ExpressionEvaluator.Evaluate(ExpressionParser.Parse(text), name => columns.GetValueOrDefault(name), n);
                Assert.That(result.Kind, Is.EqualTo(ValueKind.Bool), text);
                for (int i = 0; i < n; i++)
                {
                    bool? got = result.IsValid(i) ? result.GetBool(i) : null;
                    var want = reference(p[i], q[i], x[i]);
                    // NUnit (and the message) only for a difference: an Assert.That a row dominated this test's CPU.
                    if (got != want) Assert.That(got, Is.EqualTo(want), $"'{text}' n={n} row {i} (p={p[i]}, q={q[i]}, x={x[i]})");
                }
            }
        }
    }

    private static ValueVector Bools(bool?[] values)
    {
        // Value bits under nulls are set at random: operators must not read them.
        var random = new Random(values.Length);
        var flags = Array.ConvertAll(values, v => v ?? random.Next(2) == 0);
        return ValueVector.FromBools(flags, ValueVector.Validity(Array.ConvertAll(values, v => v is not null)));
    }
}
