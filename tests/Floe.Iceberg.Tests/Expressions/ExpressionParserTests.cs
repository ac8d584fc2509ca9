using NUnit.Framework;
using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Tests.Expressions;

[TestFixture]
public sealed class ExpressionParserTests
{
    internal static readonly Schema Schema = new(0, new[]
    {
        new NestedField(1, "amount", false, PrimitiveType.Long),
        new NestedField(2, "event_time", false, PrimitiveType.TimestampTz),
        new NestedField(3, "name", false, PrimitiveType.String),
        new NestedField(4, "x", false, PrimitiveType.Int),
        new NestedField(5, "y", false, PrimitiveType.Double),
        new NestedField(6, "z", false, PrimitiveType.Int),
        new NestedField(7, "d", false, PrimitiveType.Date),
        new NestedField(8, "price", false, PrimitiveType.Decimal(9, 2)),
        new NestedField(9, "s", false, new StructType(new[] { new NestedField(10, "t", false, PrimitiveType.Timestamp) })),
    });

    private static BoundPredicate P(string column, Operation op, params object[] lits) => BoundPredicate.Bind(Schema, column, op, lits);

    [Test]
    public void Parse_BriefExample_BindsAndConverts()
    {
        var e = ExpressionParser.Parse(
            "amount > 10 and event_time >= '2024-01-03T00:00:00Z' or name in ('a','b') and x between 1 and 5 and y is null and not (z = 3)", Schema);
        var micros = (new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;
        var expected = new Or(
            new And(P("amount", Operation.Gt, 10L), P("event_time", Operation.GtEq, micros)),
            new And(new And(new And(P("name", Operation.In, "a", "b"),
                        new And(P("x", Operation.GtEq, 1), P("x", Operation.LtEq, 5))),
                    P("y", Operation.IsNull)),
                new Not(P("z", Operation.Eq, 3))));
        Assert.That(e, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_TimestampWithOffset_ConvertsToUtc()
    {
        var e = (BoundPredicate)ExpressionParser.Parse("event_time < '2024-01-03T02:00:00+02:00'", Schema);
        Assert.That(e.Literal, Is.EqualTo((new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10));
    }

    [Test]
    public void Parse_DateDecimalNestedAndQuotes_Convert()
    {
        var e = ExpressionParser.Parse("d = '2024-01-03' AND price <= 10.5 AND s.t > '2024-01-01' AND name != 'it''s' AND NOT x NOT IN (1, -2)", Schema);
        Assert.That(e.ToString(), Does.Contain("d = '2024-01-03'").And.Contain("price <= 10.5").And.Contain("name != 'it''s'").And.Contain("x not in (1, -2)"));
    }

    [TestCase("", "empty")]
    [TestCase("nope > 1", "character 1 ('nope'): unknown column 'nope'")]
    [TestCase("amount > 'abc'", "literal 'abc' at character 10 does not fit column 'amount' of type long")]
    [TestCase("x > 99999999999", "does not fit column 'x' of type int")]
    [TestCase("event_time > 'yesterday'", "ISO-8601")]
    [TestCase("amount = null", "use 'amount is null'")]
    [TestCase("amount > 1 and", "character 15 (end of expression)")]
    [TestCase("(amount > 1", "expected ')'")]
    [TestCase("amount > 1 x", "expected 'and', 'or'")]
    [TestCase("name in ('a' 'b')", "expected ',' or ')'")]
    [TestCase("name = 'abc", "unterminated quote")]
    [TestCase("amount ~ 1", "unexpected character '~'")]
    [TestCase("s > 1", "nested type")]
    [TestCase("x between 1 5", "expected 'and'")]
    [TestCase("amount > 1.2.3", "character 10: malformed number '1.2.3'")]
    [TestCase("amount + 1 > 2", "a table filter compares a column with literals")]
    [TestCase("amount > other", "expected a literal for column 'amount'")]
    public void Parse_Invalid_ErrorNamesPosition(string text, string fragment)
    {
        var ex = Assert.Throws<FloeException>(() => ExpressionParser.Parse(text, Schema));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain(fragment));
    }

    [Test]
    public void RewriteNot_PushesIntoPredicates()
    {
        var e = ExpressionParser.Parse("not (x < 5 or name in ('a') and not y is null)", Schema).RewriteNot();
        Assert.That(e.ToString(), Is.EqualTo("(x >= 5 and (name not in ('a') or y is null))"));
    }
}
