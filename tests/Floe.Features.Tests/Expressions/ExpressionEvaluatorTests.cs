using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;

namespace Floe.Features.Tests.Expressions;

public sealed class ExpressionEvaluatorTests
{
    private static readonly Dictionary<string, ValueVector> Columns = new()
    {
        ["a"] = ValueVector.FromDoubles([1.5, 4, 0, -2], ValueVector.Validity([true, true, true, false])),
        ["b"] = ValueVector.FromLongs(ValueKind.Int64, [2, 0, 5, 7], null),
        ["s"] = ValueVector.FromStrings(["x", "y", null, "x"]),
        ["f"] = ValueVector.FromBools([true, false, true, false], ValueVector.Validity([true, true, false, true])),
    };

    private static List<object?> Eval(string text)
    {
        var c = ExpressionEvaluator.Evaluate(ExpressionParser.Parse(text), n => Columns.GetValueOrDefault(n), 4);
        var r = new List<object?>();
        for (int i = 0; i < 4; i++)
        {
            r.Add(!c.IsValid(i) ? null : c.Kind switch
            {
                ValueKind.Float64 => c.Doubles![i],
                ValueKind.Bool => c.GetBool(i),
                ValueKind.String => c.GetString(i),
                _ => (object)c.Longs![i],
            });
        }
        return r;
    }

    [TestCase("a / b", new object?[] { 0.75, null, 0.0, null })]
    [TestCase("b * 2 + 1", new object?[] { 5L, 1L, 11L, 15L })]
    [TestCase("a > 1 and b != 0", new object?[] { true, false, false, null })]
    [TestCase("f or a > 1", new object?[] { true, true, null, null })]
    [TestCase("coalesce(a, b)", new object?[] { 1.5, 4.0, 0.0, 7.0 })]
    [TestCase("case when b > 4 then 'big' when b > 0 then 'small' else 'zero' end", new object?[] { "small", "zero", "big", "big" })]
    [TestCase("cast(a as bigint)", new object?[] { 1L, 4L, 0L, null })]
    [TestCase("safe_div(b, a, -1)", new object?[] { 2 / 1.5, 0.0, -1.0, -1.0 })]
    [TestCase("s = 'x'", new object?[] { true, false, null, true })]
    [TestCase("s is null", new object?[] { false, false, true, false })]
    [TestCase("not (b >= 5)", new object?[] { true, true, false, false })]
    [TestCase("-b % 3", new object?[] { -2L, 0L, -2L, -1L })]
    [TestCase("if(b > 1, a, 0)", new object?[] { 1.5, 0.0, 0.0, null })]
    [TestCase("greatest(a, b)", new object?[] { 2.0, 4.0, 5.0, 7.0 })]
    [TestCase("s < 'y'", new object?[] { true, false, null, true })]
    [TestCase("s >= 'x'", new object?[] { true, true, null, true })]
    [TestCase("s != 'x'", new object?[] { false, true, null, false })]
    [TestCase("floor(a)", new object?[] { 1.0, 4.0, 0.0, null })]
    [TestCase("ceil(a)", new object?[] { 2.0, 4.0, 0.0, null })]
    [TestCase("round(a + 1)", new object?[] { 2.0, 5.0, 1.0, null })]
    [TestCase("abs(0 - a)", new object?[] { 1.5, 4.0, 0.0, null })]
    [TestCase("sqrt(b * b)", new object?[] { 2.0, 0.0, 5.0, 7.0 })]
    [TestCase("log10(b * 0 + 100)", new object?[] { 2.0, 2.0, 2.0, 2.0 })]
    [TestCase("exp(b - b)", new object?[] { 1.0, 1.0, 1.0, 1.0 })]
    [TestCase("ln(b - b + 1)", new object?[] { 0.0, 0.0, 0.0, 0.0 })]
    public void Evaluate_Expression_GivesSqlSemantics(string text, object?[] expected) =>
        Assert.That(Eval(text), Is.EqualTo(expected));

    [Test]
    public void StringComparison_OrdersByCodePoint_AsUtf8BytesDo()
    {
        // U+1F600 (a surrogate pair, D83D DE00 in UTF-16) against U+FF21: UTF-16 ordinal order would put the pair
        // first; feature expressions order as table filters and Parquet statistics do, by UTF-8 bytes (F0.. > EF..).
        var columns = new Dictionary<string, ValueVector> { ["s"] = ValueVector.FromStrings(["\U0001F600", "\uFF21", "\uE000", "z", null]) };
        var c = ExpressionEvaluator.Evaluate(ExpressionParser.Parse("s < '\uFF21'"), n => columns.GetValueOrDefault(n), 5);
        var got = Enumerable.Range(0, 5).Select(i => c.IsValid(i) ? c.GetBool(i) : (bool?)null).ToArray();
        Assert.That(got, Is.EqualTo(new bool?[] { false, false, true, true, null }));
        var max = ExpressionEvaluator.Evaluate(ExpressionParser.Parse("case when s > '\uFFFF' then 'astral' else 'basic' end"), n => columns.GetValueOrDefault(n), 5);
        Assert.That(Enumerable.Range(0, 4).Select(max.GetString), Is.EqualTo(new[] { "astral", "basic", "basic", "basic" }));
    }

    [TestCase("a + s", "needs numeric operands")]
    [TestCase("s > 1", "cannot compare string with int64")]
    [TestCase("nope + 1", "unknown column or feature 'nope'")]
    [TestCase("b and f", "'and' needs boolean operands")]
    public void Evaluate_TypeError_Throws(string text, string message)
    {
        var e = Assert.Throws<ExpressionException>(() => Eval(text));
        Assert.That(e!.Message, Does.Contain(message));
    }

    [TestCase("1 +", "(end of expression)")]
    [TestCase("(a", "expected ')'")]
    [TestCase("'abc", "unterminated quote")]
    [TestCase("case a end", "expected 'when'")]
    [TestCase("coalesce()", "takes 1+ argument")]
    public void Parse_Malformed_Throws(string text, string message)
    {
        var e = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text));
        Assert.That(e!.Message, Does.Contain(message));
    }
}
