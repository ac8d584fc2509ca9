using Floe.Features.Definitions;

namespace Floe.Features.Tests.Support;

/// <summary>Definitions used across tests: every aggregation over several windows and columns.</summary>
internal static class TestDefinitions
{
    public static readonly string[] Windows = ["10m", "1h", "1d", "7d", "unbounded"];

    /// <param name="filter">Optional row filter.</param>
    /// <param name="entity">The entity key as JSON (a column name or a list of them).</param>
    public static FeatureGroupDefinition AllAggregations(string? filter = null, string entity = "\"entity_id\"")
    {
        var features = new List<string>();
        foreach (var w in Windows)
        {
            string s = w.Replace("unbounded", "life", StringComparison.Ordinal);
            features.Add($$"""{"name": "cnt_{{s}}", "agg": "count", "window": "{{w}}"}""");
            foreach (var agg in new[] { "count", "sum", "mean", "min", "max", "variance", "stddev", "first", "last", "count_distinct" })
            {
                features.Add($$"""{"name": "amount_{{agg}}_{{s}}", "agg": "{{agg}}", "column": "amount", "window": "{{w}}"}""");
                features.Add($$"""{"name": "qty_{{agg}}_{{s}}", "agg": "{{agg}}", "column": "qty", "window": "{{w}}"}""");
            }
            features.Add($$"""{"name": "amount_last3_{{s}}", "agg": "last_n", "n": 3, "column": "amount", "window": "{{w}}"}""");
            features.Add($$"""{"name": "merchant_first_{{s}}", "agg": "first", "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "merchant_last_{{s}}", "agg": "last", "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "merchant_distinct_{{s}}", "agg": "count_distinct", "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "merchant_last2_{{s}}", "agg": "last_n", "n": 2, "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "flag_sum_{{s}}", "agg": "sum", "column": "flag", "window": "{{w}}"}""");
        }
        features.Add("""{"name": "ratio_1d", "expr": "amount_sum_1d / cnt_1d"}""");
        string json = $$"""
            {"name": "all_aggs", "version": 1, "entity": {{entity}}, "timestamp": "event_time",
             {{(filter is null ? "" : $"\"filter\": \"{filter}\",")}}
             "features": [{{string.Join(",\n", features)}}]}
            """;
        return FeatureGroupParser.Parse(json, DefinitionFormat.Json);
    }

    /// <summary>
    /// Only count, sum, mean, min and max over bounded windows (plus event counts): every pass is a fast one, so the
    /// kernel runs them as window groups (one per slot) rather than one by one.
    /// </summary>
    public static FeatureGroupDefinition FastAggregations()
    {
        var features = new List<string>();
        foreach (var w in new[] { "10m", "1h", "1d", "7d" })
        {
            features.Add($$"""{"name": "cnt_{{w}}", "agg": "count", "window": "{{w}}"}""");
            foreach (var agg in new[] { "count", "sum", "mean", "min", "max" })
            {
                features.Add($$"""{"name": "amount_{{agg}}_{{w}}", "agg": "{{agg}}", "column": "amount", "window": "{{w}}"}""");
                features.Add($$"""{"name": "qty_{{agg}}_{{w}}", "agg": "{{agg}}", "column": "qty", "window": "{{w}}"}""");
            }
        }
        // One slot with max over a short window only and sum over a long one: the group's shared deque still spans the longest window.
        features.Add("""{"name": "flag_sum_7d", "agg": "sum", "column": "flag", "window": "7d"}""");
        features.Add("""{"name": "flag_mean_1h", "agg": "mean", "column": "flag", "window": "1h"}""");
        string json = $$"""
            {"name": "fast_aggs", "version": 1, "entity": "entity_id", "timestamp": "event_time",
             "features": [{{string.Join(",\n", features)}}]}
            """;
        return FeatureGroupParser.Parse(json, DefinitionFormat.Json);
    }
}
