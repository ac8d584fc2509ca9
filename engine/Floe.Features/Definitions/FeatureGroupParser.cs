using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Floe.Core.Errors;
using Floe.Features.Expressions;

namespace Floe.Features.Definitions;

/// <summary>
/// Parses and validates feature group definitions. Every problem is reported with the path of the bad field,
/// e.g. <c>features[3].window: '7x' is not a duration</c>; all problems found are reported together.
/// </summary>
public static partial class FeatureGroupParser
{
    private static readonly string[] TopLevelKeys = ["name", "version", "entity", "timestamp", "source", "output", "filter", "features", "description"];
    private static readonly string[] FeatureKeys = ["name", "agg", "column", "window", "n", "expr", "description"];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    /// <summary>The format implied by a file name: YAML for .yaml/.yml, JSON otherwise.</summary>
    public static DefinitionFormat FormatOf(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
            ? DefinitionFormat.Yaml
            : DefinitionFormat.Json;

    /// <summary>Parses <paramref name="text"/>; <paramref name="origin"/> names it in error messages.</summary>
    /// <exception cref="FloeException">InvalidData listing every problem found.</exception>
    public static FeatureGroupDefinition Parse(string text, DefinitionFormat format, string origin = "<definition>")
    {
        var errors = new List<string>();
        var def = TryParse(text, format, errors);
        if (def is null || errors.Count > 0)
        {
            throw Errors.InvalidData(origin, "invalid feature group definition:\n  " + string.Join("\n  ", errors));
        }
        return def;
    }

    /// <summary>Validates <paramref name="text"/>, returning every problem (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string text, DefinitionFormat format)
    {
        var errors = new List<string>();
        TryParse(text, format, errors);
        return errors;
    }

    private static FeatureGroupDefinition? TryParse(string text, DefinitionFormat format, List<string> errors)
    {
        JsonNode? root;
        try
        {
            root = format == DefinitionFormat.Json
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = YamlSubsetReader.MaxDepth, AllowDuplicateProperties = false })
                : YamlSubsetReader.Parse(text);
        }
        catch (JsonException e)
        {
            errors.Add($"not valid JSON: {e.Message}");
            return null;
        }
        catch (FormatException e)
        {
            errors.Add($"not valid YAML: {e.Message}");
            return null;
        }
        if (root is not JsonObject obj)
        {
            errors.Add("(root): expected an object");
            return null;
        }
        return ParseGroup(obj, errors);
    }

    private static FeatureGroupDefinition? ParseGroup(JsonObject obj, List<string> errors)
    {
        CheckKeys(obj, TopLevelKeys, "", errors);
        string? name = RequiredString(obj, "name", "name", errors);
        if (name is not null && !Identifier().IsMatch(name))
        {
            errors.Add($"name: '{name}' is not an identifier (letters, digits, '_')");
        }
        int version = 0;
        if (!obj.TryGetPropertyValue("version", out var vNode) || vNode is null)
        {
            errors.Add("version: required");
        }
        else if (vNode is not JsonValue vv || !TryGetInt(vv, out version) || version < 1)
        {
            errors.Add($"version: '{Show(vNode)}' is not a positive integer");
        }

        var entity = new List<string>();
        if (!obj.TryGetPropertyValue("entity", out var eNode) || eNode is null)
        {
            errors.Add("entity: required");
        }
        else if (eNode is JsonArray arr)
        {
            if (arr.Count == 0)
            {
                errors.Add("entity: must name at least one column");
            }
            for (int i = 0; i < arr.Count; i++)
            {
                if (arr[i] is JsonValue ev && ev.TryGetValue(out string? s) && s.Length > 0) { entity.Add(s); }
                else { errors.Add($"entity[{i}]: expected a column name"); }
            }
        }
        else if (eNode is JsonValue single && single.TryGetValue(out string? one) && one.Length > 0)
        {
            entity.Add(one);
        }
        else
        {
            errors.Add("entity: expected a column name or a list of column names");
        }

        string? timestamp = RequiredString(obj, "timestamp", "timestamp", errors);
        var source = ParseSource(obj, errors);
        string? outputTable = ParseOutput(obj, errors);
        string? filter = OptionalString(obj, "filter", "filter", errors);
        if (filter is not null)
        {
            CheckExpression(filter, "filter", errors);
        }

        var features = new List<FeatureDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entity) { names.Add(e); }
        if (timestamp is not null) { names.Add(timestamp); }
        if (!obj.TryGetPropertyValue("features", out var fNode) || fNode is null)
        {
            errors.Add("features: required");
        }
        else if (fNode is not JsonArray fArr || fArr.Count == 0)
        {
            errors.Add("features: expected a non-empty list");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < fArr.Count; i++)
            {
                var f = ParseFeature(fArr[i], $"features[{i}]", errors);
                if (f is null) { continue; }
                if (!seen.Add(f.Name))
                {
                    errors.Add($"features[{i}].name: duplicate feature name '{f.Name}'");
                }
                else if (names.Contains(f.Name))
                {
                    errors.Add($"features[{i}].name: '{f.Name}' clashes with an entity or timestamp column");
                }
                features.Add(f);
            }
            CheckExpressionCycles(features, errors);
        }
        if (errors.Count > 0 || name is null || timestamp is null)
        {
            return null;
        }
        return new FeatureGroupDefinition(name, version, entity, timestamp, source, filter, features, outputTable);
    }

    private static string? ParseOutput(JsonObject obj, List<string> errors)
    {
        if (!obj.TryGetPropertyValue("output", out var oNode) || oNode is null)
        {
            return null;
        }
        if (oNode is not JsonObject o)
        {
            errors.Add("output: expected an object with 'table'");
            return null;
        }
        CheckKeys(o, ["table"], "output.", errors);
        string? table = RequiredString(o, "table", "output.table", errors);
        if (table is not null && (!table.Contains('.', StringComparison.Ordinal) || table.StartsWith('.') || table.EndsWith('.')))
        {
            errors.Add($"output.table: '{table}' is not a 'namespace.table' identifier");
            return null;
        }
        return table;
    }

    private static SourceDefinition? ParseSource(JsonObject obj, List<string> errors)
    {
        if (!obj.TryGetPropertyValue("source", out var sNode) || sNode is null)
        {
            return null;
        }
        if (sNode is not JsonObject s)
        {
            errors.Add("source: expected an object with 'table' or 'files'");
            return null;
        }
        CheckKeys(s, ["table", "files"], "source.", errors);
        bool hasTable = s.ContainsKey("table");
        bool hasFiles = s.ContainsKey("files");
        if (hasTable == hasFiles)
        {
            errors.Add("source: exactly one of 'table' and 'files' is required");
            return null;
        }
        if (hasTable)
        {
            string? table = RequiredString(s, "table", "source.table", errors);
            if (table is not null && (!table.Contains('.', StringComparison.Ordinal) || table.StartsWith('.') || table.EndsWith('.')))
            {
                errors.Add($"source.table: '{table}' is not a 'namespace.table' identifier");
            }
            return table is null ? null : new SourceDefinition(table, []);
        }
        var files = new List<string>();
        var fNode = s["files"];
        if (fNode is JsonValue fv && fv.TryGetValue(out string? single) && single.Length > 0)
        {
            files.Add(single);
        }
        else if (fNode is JsonArray fa && fa.Count > 0)
        {
            for (int i = 0; i < fa.Count; i++)
            {
                if (fa[i] is JsonValue v && v.TryGetValue(out string? path) && path.Length > 0)
                {
                    if (!IsSupportedFile(path))
                    {
                        errors.Add($"source.files[{i}]: '{path}' is not a .csv or .parquet file");
                    }
                    files.Add(path);
                }
                else
                {
                    errors.Add($"source.files[{i}]: expected a file path");
                }
            }
        }
        else
        {
            errors.Add("source.files: expected a non-empty list of file paths");
        }
        return new SourceDefinition(null, files);
    }

    /// <summary>True for file names the file sources can read (.csv, .parquet).</summary>
    public static bool IsSupportedFile(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static FeatureDefinition? ParseFeature(JsonNode? node, string path, List<string> errors)
    {
        if (node is not JsonObject f)
        {
            errors.Add($"{path}: expected an object");
            return null;
        }
        int before = errors.Count;
        CheckKeys(f, FeatureKeys, path + ".", errors);
        string? name = RequiredString(f, "name", path + ".name", errors);
        if (name is not null && !Identifier().IsMatch(name))
        {
            errors.Add($"{path}.name: '{name}' is not an identifier (letters, digits, '_')");
        }
        bool hasAgg = f.ContainsKey("agg");
        bool hasExpr = f.ContainsKey("expr");
        if (hasAgg == hasExpr)
        {
            errors.Add($"{path}: exactly one of 'agg' and 'expr' is required");
            return null;
        }
        if (hasExpr)
        {
            string? expr = RequiredString(f, "expr", path + ".expr", errors);
            foreach (var key in (ReadOnlySpan<string>)["column", "window", "n"])
            {
                if (f.ContainsKey(key)) { errors.Add($"{path}.{key}: not allowed on an expression feature"); }
            }
            if (expr is not null) { CheckExpression(expr, path + ".expr", errors); }
            return errors.Count > before || name is null ? null : new FeatureDefinition(name, null, null, default, 0, expr);
        }

        string? aggName = RequiredString(f, "agg", path + ".agg", errors);
        AggregationKind kind = default;
        if (aggName is not null && !AggregationNames.TryParse(aggName, out kind))
        {
            errors.Add($"{path}.agg: '{aggName}' is not an aggregation (one of {string.Join(", ", AggregationNames.All)})");
            return null;
        }
        string? column = OptionalString(f, "column", path + ".column", errors);
        if (column is null && kind != AggregationKind.Count && aggName is not null)
        {
            errors.Add($"{path}.column: required for '{aggName}'");
        }
        if (column is not null) { CheckExpression(column, path + ".column", errors); }

        Window window = default;
        if (!f.TryGetPropertyValue("window", out var wNode) || wNode is null)
        {
            errors.Add($"{path}.window: required (a duration such as '1h', or 'unbounded')");
        }
        else if (wNode is not JsonValue wv || !wv.TryGetValue(out string? wText))
        {
            errors.Add($"{path}.window: '{Show(wNode)}' is not a duration");
        }
        else if (wText is "unbounded" or "lifetime")
        {
            window = Window.Unbounded;
        }
        else if (Durations.TryParse(wText, out long micros))
        {
            window = Window.OfMicros(micros);
        }
        else
        {
            errors.Add($"{path}.window: '{wText}' is not a duration");
        }

        int n = 0;
        if (f.TryGetPropertyValue("n", out var nNode))
        {
            if (kind != AggregationKind.LastN)
            {
                errors.Add($"{path}.n: only allowed with 'last_n'");
            }
            else if (nNode is not JsonValue nv || !TryGetInt(nv, out n) || n < 1 || n > 10_000)
            {
                errors.Add($"{path}.n: '{Show(nNode)}' is not an integer in 1..10000");
            }
        }
        else if (kind == AggregationKind.LastN)
        {
            errors.Add($"{path}.n: required for 'last_n'");
        }
        return errors.Count > before || name is null ? null : new FeatureDefinition(name, kind, column, window, n, null);
    }

    private static void CheckExpression(string text, string path, List<string> errors)
    {
        try
        {
            ExpressionParser.Parse(text);
        }
        catch (ExpressionException e)
        {
            errors.Add($"{path}: '{(text.Length > 80 ? text[..77] + "..." : text)}' is not a valid expression: {e.Message}");
        }
    }

    private static void CheckExpressionCycles(List<FeatureDefinition> features, List<string> errors)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < features.Count; i++) { byName.TryAdd(features[i].Name, i); }
        var state = new int[features.Count];
        for (int i = 0; i < features.Count; i++)
        {
            if (features[i].Expression is not null && Visit(i))
            {
                errors.Add($"features[{i}].expr: '{features[i].Name}' depends on itself");
                return;
            }
        }

        bool Visit(int i)
        {
            if (state[i] == 2) { return false; }
            if (state[i] == 1) { return true; }
            state[i] = 1;
            if (features[i].Expression is { } text)
            {
                var refs = new HashSet<string>(StringComparer.Ordinal);
                try { ExpressionParser.CollectColumns(ExpressionParser.Parse(text), refs); }
                catch (ExpressionException) { }
                foreach (var r in refs)
                {
                    if (byName.TryGetValue(r, out int j) && features[j].Expression is not null && Visit(j)) { return true; }
                }
            }
            state[i] = 2;
            return false;
        }
    }

    private static void CheckKeys(JsonObject obj, string[] allowed, string prefix, List<string> errors)
    {
        foreach (var kv in obj)
        {
            if (Array.IndexOf(allowed, kv.Key) < 0)
            {
                errors.Add($"{prefix}{kv.Key}: unknown field (expected one of {string.Join(", ", allowed)})");
            }
        }
    }

    private static string? RequiredString(JsonObject obj, string key, string path, List<string> errors)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            errors.Add($"{path}: required");
            return null;
        }
        if (node is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0)
        {
            return s;
        }
        errors.Add($"{path}: expected a non-empty string, got {Show(node)}");
        return null;
    }

    private static string? OptionalString(JsonObject obj, string key, string path, List<string> errors)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }
        if (node is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0)
        {
            return s;
        }
        errors.Add($"{path}: expected a non-empty string, got {Show(node)}");
        return null;
    }

    private static bool TryGetInt(JsonValue v, out int value)
    {
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out long l) && l is >= int.MinValue and <= int.MaxValue) { value = (int)l; return true; }
        if (v.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) { value = (int)d; return true; }
        if (v.TryGetValue(out string? s) && int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out i)) { value = i; return true; }
        if (v.GetValueKind() == JsonValueKind.Number && int.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out i)) { value = i; return true; }
        value = 0;
        return false;
    }

    private static string Show(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };
}
