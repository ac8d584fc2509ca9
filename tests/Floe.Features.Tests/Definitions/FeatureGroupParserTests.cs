using Floe.Core.Errors;
using Floe.Features.Definitions;

namespace Floe.Features.Tests.Definitions;

public sealed class FeatureGroupParserTests
{
    private const string IssueExample = """
        {
          "name": "user_txn", "version": 1,
          "entity": ["entity_id"], "timestamp": "event_time",
          "source": {"table": "demo.events"},
          "filter": "amount > 0",
          "features": [
            {"name": "txn_count_1h",   "agg": "count", "window": "1h"},
            {"name": "amount_sum_7d",  "agg": "sum",  "column": "amount", "window": "7d"},
            {"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "1d"},
            {"name": "amount_max_1d",  "agg": "max",  "column": "amount", "window": "1d"},
            {"name": "txn_count_7d",   "agg": "count", "window": "7d"},
            {"name": "avg_ticket_7d",  "expr": "amount_sum_7d / txn_count_7d"}
          ]
        }
        """;

    [Test]
    public void Parse_IssueExample_AcceptsAsWritten()
    {
        var def = FeatureGroupParser.Parse(IssueExample, DefinitionFormat.Json);
        Assert.Multiple(() =>
        {
            Assert.That(def.Name, Is.EqualTo("user_txn"));
            Assert.That(def.Version, Is.EqualTo(1));
            Assert.That(def.Entity, Is.EqualTo(new[] { "entity_id" }));
            Assert.That(def.Source!.Table, Is.EqualTo("demo.events"));
            Assert.That(def.Features, Has.Count.EqualTo(6));
            Assert.That(def.Features[1].Window.Micros, Is.EqualTo(7 * Durations.MicrosPerDay));
            Assert.That(def.Features[5].Expression, Is.EqualTo("amount_sum_7d / txn_count_7d"));
            Assert.That(def.LongestWindowMicros, Is.EqualTo(7 * Durations.MicrosPerDay));
            Assert.That(def.OutputTable, Is.EqualTo("features.user_txn"));
        });
    }

    [Test]
    public void Parse_OutputTable_NamesTheFeatureTable()
    {
        var json = IssueExample.Replace("\"filter\"", "\"output\": {\"table\": \"ml.user_txn_v1\"}, \"filter\"", StringComparison.Ordinal);
        Assert.That(FeatureGroupParser.Parse(json, DefinitionFormat.Json).OutputTable, Is.EqualTo("ml.user_txn_v1"));
    }

    [Test]
    public void Parse_YamlEquivalent_GivesSameDefinition()
    {
        const string yaml = """
            # the issue's example, in YAML
            name: user_txn
            version: 1
            entity: [entity_id]
            timestamp: event_time
            source:
              files:
                - events.csv
                - "more events.parquet"
            filter: "amount > 0"
            features:
              - name: txn_count_1h
                agg: count
                window: 1h
              - {name: amount_sum_7d, agg: sum, column: amount, window: 7d}
              - name: last_amounts
                agg: last_n
                n: 5
                column: amount
                window: unbounded
              - name: avg_ticket_7d
                expr: amount_sum_7d / txn_count_1h
            """;
        var def = FeatureGroupParser.Parse(yaml, DefinitionFormat.Yaml);
        Assert.Multiple(() =>
        {
            Assert.That(def.Name, Is.EqualTo("user_txn"));
            Assert.That(def.Version, Is.EqualTo(1));
            Assert.That(def.Source!.Files, Is.EqualTo(new[] { "events.csv", "more events.parquet" }));
            Assert.That(def.Features[1].Aggregation, Is.EqualTo(AggregationKind.Sum));
            Assert.That(def.Features[2].N, Is.EqualTo(5));
            Assert.That(def.Features[2].Window.IsUnbounded, Is.True);
            Assert.That(def.Features[3].Expression, Is.EqualTo("amount_sum_7d / txn_count_1h"));
        });
    }

    private static string WithFeature(string feature) => $$"""
        {"name": "g", "version": 1, "entity": "e", "timestamp": "t",
         "features": [{"name": "c", "agg": "count", "window": "1h"}, {"name": "s", "agg": "sum", "column": "x", "window": "1d"}, {"name": "u", "agg": "min", "column": "x", "window": "1d"}, {{feature}}]}
        """;

    // The corpus of bad definitions: each must be rejected with an error naming the path of the bad field.
    private static IEnumerable<TestCaseData> BadDefinitions()
    {
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "sum", "column": "x", "window": "7x"}"""), "features[3].window: '7x' is not a duration");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "median", "column": "x", "window": "1d"}"""), "features[3].agg: 'median' is not an aggregation");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "sum", "window": "1d"}"""), "features[3].column: required for 'sum'");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "sum", "column": "x"}"""), "features[3].window: required");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "sum", "column": "x", "window": "1d", "expr": "x"}"""), "features[3]: exactly one of 'agg' and 'expr'");
        yield return new TestCaseData(WithFeature("""{"name": "c", "agg": "count", "window": "1d"}"""), "features[3].name: duplicate feature name 'c'");
        yield return new TestCaseData(WithFeature("""{"name": "w", "expr": "s / "}"""), "features[3].expr: 's / ' is not a valid expression");
        yield return new TestCaseData(WithFeature("""{"name": "w", "expr": "foo(s)"}"""), "unknown function 'foo'");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "last_n", "column": "x", "window": "1d"}"""), "features[3].n: required for 'last_n'");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "last_n", "n": 0, "column": "x", "window": "1d"}"""), "features[3].n: '0' is not an integer in 1..10000");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "sum", "n": 3, "column": "x", "window": "1d"}"""), "features[3].n: only allowed with 'last_n'");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "sum", "column": "x", "windw": "1d"}"""), "features[3].windw: unknown field");
        yield return new TestCaseData(WithFeature("""{"name": "9w", "agg": "count", "window": "1d"}"""), "features[3].name: '9w' is not an identifier");
        yield return new TestCaseData(WithFeature("""{"name": "e", "agg": "count", "window": "1d"}"""), "features[3].name: 'e' clashes");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "count", "window": 5}"""), "features[3].window: '5' is not a duration");
        yield return new TestCaseData(WithFeature("""{"name": "w", "agg": "count", "window": "0h"}"""), "features[3].window: '0h' is not a duration");
        yield return new TestCaseData(WithFeature("""{"name": "a", "expr": "b + 1"}, {"name": "b", "expr": "a * 2"}"""), "depends on itself");
        yield return new TestCaseData(WithFeature("\"oops\""), "features[3]: expected an object");
        yield return new TestCaseData("""{"version": 1, "entity": "e", "timestamp": "t", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "name: required");
        yield return new TestCaseData("""{"name": "g", "version": 0, "entity": "e", "timestamp": "t", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "version: '0' is not a positive integer");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": [], "timestamp": "t", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "entity: must name at least one column");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "timestamp: required");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "features": []}""", "features: expected a non-empty list");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "source": {"table": "t", "files": ["a.csv"]}, "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "source: exactly one of 'table' and 'files'");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "source": {"table": "events"}, "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "source.table: 'events' is not a 'namespace.table'");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "source": {"files": ["a.txt"]}, "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "source.files[0]: 'a.txt' is not a .csv or .parquet file");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "filter": "amount >", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "filter: 'amount >' is not a valid expression");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "extra": 1, "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "extra: unknown field");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "output": {"table": "t"}, "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "output.table: 't' is not a 'namespace.table'");
        yield return new TestCaseData("""{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "output": "x.t", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "output: expected an object");
        yield return new TestCaseData("""{"name": "g", "name": "h", "version": 1, "entity": "e", "timestamp": "t", "features": [{"name": "c", "agg": "count", "window": "1h"}]}""", "not valid JSON: Duplicate");
        yield return new TestCaseData("""{"name": "g", """, "not valid JSON");
        yield return new TestCaseData("""[1, 2]""", "(root): expected an object");
    }

    [TestCaseSource(nameof(BadDefinitions))]
    public void Parse_BadDefinition_ThrowsNamingPath(string json, string expected)
    {
        var e = Assert.Throws<FloeException>(() => FeatureGroupParser.Parse(json, DefinitionFormat.Json, "bad.json"));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Does.StartWith("bad.json: "));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void Validate_SeveralProblems_ReportsAll()
    {
        var errors = FeatureGroupParser.Validate(
            """{"name": "g", "version": 1, "entity": "e", "timestamp": "t", "features": [{"name": "a", "agg": "sum", "column": "x", "window": "7x"}, {"name": "b", "agg": "nope", "window": "1h"}]}""",
            DefinitionFormat.Json);
        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors[0], Is.EqualTo("features[0].window: '7x' is not a duration"));
    }

    [TestCase("name: [unclosed", "not valid YAML")]
    [TestCase("name: g\nversion: 1\nentity: e\ntimestamp: t\nfeatures:\n  - name: c\n    agg: count\n    window: 7x\n", "features[0].window: '7x' is not a duration")]
    [TestCase("name: g\n  bad: indent\n", "not valid YAML")]
    public void Parse_BadYaml_ThrowsNamingProblem(string yaml, string expected)
    {
        var e = Assert.Throws<FloeException>(() => FeatureGroupParser.Parse(yaml, DefinitionFormat.Yaml, "bad.yaml"));
        Assert.That(e!.Message, Does.Contain(expected));
    }

    [TestCase("10m", 600_000_000L)]
    [TestCase("1h30m", 5_400_000_000L)]
    [TestCase("7d", 604_800_000_000L)]
    [TestCase("2w", 1_209_600_000_000L)]
    [TestCase("250ms", 250_000L)]
    public void DurationsTryParse_Valid_GivesMicros(string text, long micros)
    {
        Assert.That(Durations.TryParse(text, out long m), Is.True);
        Assert.That(m, Is.EqualTo(micros));
    }

    [TestCase("")]
    [TestCase("7x")]
    [TestCase("d")]
    [TestCase("-1h")]
    [TestCase("1.5h")]
    [TestCase("0s")]
    public void DurationsTryParse_Invalid_ReturnsFalse(string text) =>
        Assert.That(Durations.TryParse(text, out _), Is.False);
}
