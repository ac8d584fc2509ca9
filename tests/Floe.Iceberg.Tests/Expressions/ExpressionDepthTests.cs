using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Expressions;

/// <summary>
/// Hostile nesting is an argument error, never a stack overflow: the parser caps parentheses and 'not', long
/// 'and'/'or' chains become balanced trees, and no expression tree deeper than the limit can be built at all.
/// </summary>
[TestFixture]
public sealed class ExpressionDepthTests
{
    private static readonly Schema Schema = ExpressionParserTests.Schema;

    [TestCase(60_000)]
    [TestCase(ExpressionParser.MaxNesting + 1)]
    public void Parse_DeeplyNestedParentheses_IsInvalidArgument(int depth)
    {
        var text = new string('(', depth) + "x = 1" + new string(')', depth);
        var ex = Assert.Throws<FloeException>(() => ExpressionParser.Parse(text, Schema))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain($"nested deeper than {ExpressionParser.MaxNesting} levels"));
    }

    [Test]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var depth = ExpressionParser.MaxNesting;
        var e = ExpressionParser.Parse(new string('(', depth) + "x = 1" + new string(')', depth), Schema);
        Assert.That(e, Is.TypeOf<BoundPredicate>());
    }

    [Test]
    public void Parse_ManyNots_IsInvalidArgument()
    {
        var text = string.Concat(Enumerable.Repeat("not ", 50_000)) + "x = 1";
        var ex = Assert.Throws<FloeException>(() => ExpressionParser.Parse(text, Schema))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain("nested deeper than"));
    }

    [Test]
    public void Parse_LongOrChain_EvaluatesWithoutDeepRecursion()
    {
        // 100,000 terms: a left-deep tree would be 100,000 levels; balanced it is 17.
        var text = string.Join(" or ", Enumerable.Range(0, 100_000).Select(i => $"x = {i}")) + " and amount > 0";
        var e = ExpressionParser.Parse(text, Schema);
        var rows = new Apache.Arrow.RecordBatch(
            new Apache.Arrow.Schema.Builder()
                .Field(f => f.Name("x").DataType(Apache.Arrow.Types.Int32Type.Default))
                .Field(f => f.Name("amount").DataType(Apache.Arrow.Types.Int64Type.Default)).Build(),
            new Apache.Arrow.IArrowArray[]
            {
                new Apache.Arrow.Int32Array.Builder().AppendRange(new[] { 5, 99_999, 100_000, -1 }).Build(),
                new Apache.Arrow.Int64Array.Builder().AppendRange(new[] { 1L, 1, 1, 1 }).Build(),
            }, 4);
        var selection = new bool[4];
        Assert.That(new RowFilter(e).Evaluate(rows, selection), Is.EqualTo(2));
        Assert.That(selection, Is.EqualTo(new[] { true, true, false, false }));
    }

    [Test]
    public void And_BuiltDeeperThanTheLimit_IsInvalidArgument()
    {
        Expression e = BoundPredicate.Bind(Schema, "x", Operation.Eq, 1);
        var ex = Assert.Throws<FloeException>(() =>
        {
            for (var i = 0; i < 100_000; i++) e = new And(e, BoundPredicate.Bind(Schema, "x", Operation.Eq, i));
        })!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain("nested deeper than"));
        Assert.That(() => new Not(((And)e).Left), Throws.Nothing, "a tree under the limit can still be wrapped");
    }
}
