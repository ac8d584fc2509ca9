using Floe.Features.Definitions;
using Floe.Features.Expressions;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Expressions;

/// <summary>Hostile nesting in feature expressions and definition documents is a clear error, never a stack overflow.</summary>
public sealed class ExpressionDepthTests
{
    private static IEnumerable<TestCaseData> DeepExpressions()
    {
        yield return new TestCaseData(new string('(', 50_000) + "a" + new string(')', 50_000)).SetName("Parse_50000Parentheses_IsRefused");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("not ", 50_000)) + "a").SetName("Parse_50000Nots_IsRefused");
        yield return new TestCaseData(new string('-', 50_000) + "a").SetName("Parse_50000UnaryMinus_IsRefused");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("abs(", 50_000)) + "a" + new string(')', 50_000)).SetName("Parse_50000NestedCalls_IsRefused");
        yield return new TestCaseData(string.Join(" + ", Enumerable.Repeat("a", 50_000))).SetName("Parse_50000TermChain_IsRefused");
        yield return new TestCaseData(string.Join(" + ", Enumerable.Repeat("a", ExpressionParser.MaxDepth + 1))).SetName("Parse_ChainJustOverTheLimit_IsRefused");
    }

    [TestCaseSource(nameof(DeepExpressions))]
    public void Parse_TooDeep_ThrowsNamingTheLimit(string text)
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text))!;
        Assert.That(ex.Message, Does.Contain($"nested deeper than {ExpressionParser.MaxDepth} levels"));
    }

    [Test]
    public void Parse_AtTheLimit_IsAccepted()
    {
        var chain = string.Join(" + ", Enumerable.Repeat("a", ExpressionParser.MaxDepth - 1));
        Assert.That(ExprDepth.Measure(ExpressionParser.Parse(chain)), Is.EqualTo(ExpressionParser.MaxDepth - 1));
        var parens = new string('(', 100) + "a + 1" + new string(')', 100);
        Assert.That(ExpressionParser.Parse(parens), Is.TypeOf<BinaryExpr>());
    }

    [Test]
    public void Validate_DefinitionWithDeepExpression_ReportsTheField()
    {
        var expr = new string('(', 50_000) + "amount" + new string(')', 50_000);
        var json = $$"""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "features": [{"name": "w", "expr": "{{expr}}"}]}""";
        var errors = FeatureGroupParser.Validate(json, DefinitionFormat.Json);
        Assert.That(errors, Has.Some.Contains("features[0].expr").And.Some.Contains("nested deeper than"));
        Assert.That(errors.Max(e => e.Length), Is.LessThan(300), "the message quotes a bounded prefix of the expression");
    }

    [Test]
    public void Validate_DeepJson_IsNotValidJson()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        var errors = FeatureGroupParser.Validate(json, DefinitionFormat.Json);
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.StartWith("not valid JSON"));
    }

    [Test]
    public void Validate_DeepYamlFlow_IsNotValidYaml()
    {
        var yaml = "name: " + new string('[', 100_000) + new string(']', 100_000);
        var errors = FeatureGroupParser.Validate(yaml, DefinitionFormat.Yaml);
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("not valid YAML").And.Contain("nested deeper than"));
    }

    [Test]
    [Category(TestTier.Sweep)]
    public void Validate_DeepYamlBlocks_IsNotValidYaml()
    {
        // 1,000 levels in the fast pass (the text grows with the square of the depth), 5,000 in the deep pass: either
        // is far past the limit.
        int depth = TestTier.Size(1_000, 5_000);
        Assert.That(depth, Is.GreaterThan(10 * YamlSubsetReader.MaxDepth));
        var lines = Enumerable.Range(0, depth).Select(i => new string(' ', i) + "k" + i + ":");
        var errors = FeatureGroupParser.Validate(string.Join("\n", lines) + " 1", DefinitionFormat.Yaml);
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0], Does.Contain("not valid YAML").And.Contain("nested deeper than"));
    }
}
