using Floe.Features.Definitions;
using NUnit.Framework;

namespace Floe.Features.Tests.Definitions;

[TestFixture]
public sealed class DefinitionHashTests
{
    private const string Json = """
        {"name": "g", "version": 1, "entity": ["id"], "timestamp": "ts",
         "features": [{"name": "c", "agg": "count", "window": "1h"}, {"name": "m", "agg": "last_n", "n": 3, "column": "x", "window": "1d"}]}
        """;

    [Test]
    public void CanonicalJson_SortsKeysAndDropsWhitespace()
    {
        Assert.That(DefinitionHash.CanonicalJson(Json, DefinitionFormat.Json), Is.EqualTo(
            """{"entity":["id"],"features":[{"agg":"count","name":"c","window":"1h"},{"agg":"last_n","column":"x","n":3,"name":"m","window":"1d"}],"name":"g","timestamp":"ts","version":1}"""));
    }

    [TestCase("""
        # comment
        version: 1
        timestamp: ts
        name: g
        entity: [id]
        features:
          - {window: 1h, agg: count, name: c}
          - name: m
            agg: last_n
            n: 3
            column: x
            window: 1d
        """, DefinitionFormat.Yaml)]
    [TestCase("""
        // comment
        { "version": 1.0, "timestamp": "ts", "name": "g", "entity": ["id"],
          "features": [ { "window": "1h", "agg": "count", "name": "c" },
                        { "name": "m", "agg": "last_n", "n": 3, "column": "x", "window": "1d", } ] }
        """, DefinitionFormat.Json)]
    public void Sha256_OtherSpellingOfTheSameDocument_IsTheSame(string text, DefinitionFormat format) =>
        Assert.That(DefinitionHash.Sha256(text, format), Is.EqualTo(DefinitionHash.Sha256(Json, DefinitionFormat.Json)));

    [TestCase("\"1h\"", "\"2h\"")]
    [TestCase("\"n\": 3", "\"n\": 4")]
    [TestCase("[\"id\"]", "[\"id\", \"ts2\"]")]
    public void Sha256_AnyValueChanged_Differs(string from, string to) =>
        Assert.That(DefinitionHash.Sha256(Json.Replace(from, to, StringComparison.Ordinal), DefinitionFormat.Json),
            Is.Not.EqualTo(DefinitionHash.Sha256(Json, DefinitionFormat.Json)));

    [Test]
    public void Sha256_IsLowerCaseHexOfTheCanonicalText()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(DefinitionHash.CanonicalJson(Json, DefinitionFormat.Json))));
        Assert.That(DefinitionHash.Sha256(Json, DefinitionFormat.Json), Is.EqualTo(expected));
    }
}
