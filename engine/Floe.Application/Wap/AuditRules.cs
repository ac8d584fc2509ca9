using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Floe.Core.Errors;
using Floe.Features.Definitions;

namespace Floe.Application.Wap;

/// <summary>
/// The thresholds an audit checks, with defaults that catch the usual accidents (a unit bug, a half-empty day, a
/// duplicated run). A rules file (JSON or YAML) overrides any of them, globally or per column:
/// <code>
/// psi_max: 0.2                 # population stability index per numeric column
/// ks_max: 0.3                  # Kolmogorov–Smirnov statistic per numeric column
/// row_count_change_max: 0.5    # |staged − main| / main rows, per replaced partition
/// null_rate_increase_max: 0.1  # staged null rate − main null rate, per column
/// unique_keys: true            # (entity, feature time) unique in every staged partition
/// columns:
///   amount_sum_7d: {psi_max: 0.5}
/// </code>
/// </summary>
public sealed record AuditRules
{
    /// <summary>Maximum PSI per numeric column.</summary>
    public double PsiMax { get; init; } = 0.2;

    /// <summary>Maximum two-sample KS statistic per numeric column.</summary>
    public double KsMax { get; init; } = 0.3;

    /// <summary>Maximum relative change of a replaced partition's row count.</summary>
    public double RowCountChangeMax { get; init; } = 0.5;

    /// <summary>Maximum increase of a column's null rate.</summary>
    public double NullRateIncreaseMax { get; init; } = 0.1;

    /// <summary>Whether duplicate (entity, feature time) keys fail the audit.</summary>
    public bool UniqueKeys { get; init; } = true;

    /// <summary>Per-column overrides of <see cref="PsiMax"/>, <see cref="KsMax"/> and <see cref="NullRateIncreaseMax"/>.</summary>
    public IReadOnlyDictionary<string, AuditRules> Columns { get; init; } = new Dictionary<string, AuditRules>();

    /// <summary>The rules for <paramref name="column"/>: its override, else these.</summary>
    public AuditRules For(string column) => Columns.TryGetValue(column, out var rules) ? rules : this;

    /// <summary>Reads a rules file (.json, .yaml or .yml); unknown keys and bad values are InvalidData naming them.</summary>
    public static AuditRules Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.NotFound($"{path}: audit rules file not found");
        }
        JsonNode? node;
        try
        {
            node = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 })
                : YamlSubsetReader.Parse(text);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw Errors.InvalidData($"{path}: {e.Message}");
        }
        if (node is not JsonObject obj) throw Errors.InvalidData($"{path}: expected a mapping of rule names to values");
        return Parse(obj, new AuditRules(), path, "", allowColumns: true);
    }

    private static AuditRules Parse(JsonObject obj, AuditRules defaults, string path, string at, bool allowColumns)
    {
        var rules = defaults with { Columns = new Dictionary<string, AuditRules>() };
        var columns = new Dictionary<string, AuditRules>(StringComparer.Ordinal);
        JsonObject? columnRules = null;
        foreach (var (key, value) in obj)
        {
            switch (key)
            {
                case "psi_max": rules = rules with { PsiMax = Number(value, path, at + key) }; break;
                case "ks_max": rules = rules with { KsMax = Number(value, path, at + key) }; break;
                case "row_count_change_max": rules = rules with { RowCountChangeMax = Number(value, path, at + key) }; break;
                case "null_rate_increase_max": rules = rules with { NullRateIncreaseMax = Number(value, path, at + key) }; break;
                case "unique_keys":
                    rules = rules with { UniqueKeys = value is JsonValue v && v.TryGetValue(out bool b) ? b : throw Errors.InvalidData($"{path}: {at}{key}: expected true or false") };
                    break;
                case "columns" when allowColumns:
                    columnRules = value as JsonObject ?? throw Errors.InvalidData($"{path}: columns: expected a mapping of column names to rules");
                    break;
                default: throw Errors.InvalidData($"{path}: {at}{key}: unknown rule (psi_max, ks_max, row_count_change_max, null_rate_increase_max, unique_keys, columns)");
            }
        }
        // Column overrides start from the file's global rules, wherever "columns" appears in it.
        foreach (var (column, value) in columnRules ?? new JsonObject())
        {
            if (value is not JsonObject c) throw Errors.InvalidData($"{path}: columns.{column}: expected a mapping of rules");
            columns[column] = Parse(c, rules, path, $"columns.{column}.", allowColumns: false);
        }
        return rules with { Columns = columns };
    }

    private static double Number(JsonNode? node, string path, string at)
    {
        if (node is JsonValue v && double.TryParse(v.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d))
        {
            return d;
        }
        throw Errors.InvalidData($"{path}: {at}: expected a non-negative number");
    }
}
