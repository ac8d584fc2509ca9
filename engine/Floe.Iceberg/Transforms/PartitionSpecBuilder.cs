using System.Globalization;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transforms;

/// <summary>
/// Builds a partition spec from the CLI form <c>day(event_time),bucket(16,entity_id),truncate(4,name),identity(x)</c>,
/// naming fields as Iceberg Java does by default: <c>x</c>, <c>ts_year</c>, <c>ts_month</c>, <c>ts_day</c>,
/// <c>ts_hour</c>, <c>id_bucket</c>, <c>name_trunc</c>, <c>y_null</c>.
/// </summary>
public static class PartitionSpecBuilder
{
    /// <summary>
    /// Parses <paramref name="text"/> against <paramref name="schema"/>. A bare column name means identity; Spark's plural
    /// forms (<c>years</c>, <c>days</c>, ...) are accepted. Field ids are assigned in order from <paramref name="firstFieldId"/>.
    /// An empty or blank text gives an unpartitioned spec.
    /// </summary>
    /// <exception cref="FloeException">
    /// <see cref="FloeErrorCode.InvalidArgument"/> naming the term and its position for unknown transforms, missing or
    /// non-primitive columns, bad parameters, transforms that do not apply to the column type, or duplicate names.
    /// </exception>
    public static PartitionSpec Parse(string text, Schema schema, int specId = 0, int firstFieldId = PartitionSpec.FirstFieldId)
    {
        var fields = new List<PartitionField>();
        if (string.IsNullOrWhiteSpace(text)) return new PartitionSpec(specId, fields);
        var terms = SplitTopLevel(text);
        foreach (var (term, position) in terms)
        {
            var (transform, column) = ParseTerm(term, position);
            var field = schema.FindField(column)
                ?? throw Errors.InvalidArgument($"partition spec term {position} '{term}': column '{column}' is not in the table schema (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))})");
            if (field.Type is not PrimitiveType type)
            {
                throw Errors.InvalidArgument($"partition spec term {position} '{term}': column '{column}' has nested type and cannot be partitioned");
            }
            TransformFunctions.EnsureCanApply(transform, type, column);
            var name = DefaultName(transform, column);
            if (fields.Exists(f => f.Name == name))
            {
                throw Errors.InvalidArgument($"partition spec term {position} '{term}': partition field name '{name}' is used twice");
            }
            if (fields.Exists(f => f.SourceId == field.Id && f.Transform == transform))
            {
                throw Errors.InvalidArgument($"partition spec term {position} '{term}': {transform}({column}) is listed twice");
            }
            fields.Add(new PartitionField(field.Id, firstFieldId + fields.Count, name, transform));
        }
        return new PartitionSpec(specId, fields);
    }

    /// <summary>Iceberg Java's default partition field name for a transform of <paramref name="column"/>.</summary>
    public static string DefaultName(Transform transform, string column) => transform.Kind switch
    {
        TransformKind.Identity => column,
        TransformKind.Year => column + "_year",
        TransformKind.Month => column + "_month",
        TransformKind.Day => column + "_day",
        TransformKind.Hour => column + "_hour",
        TransformKind.Bucket => column + "_bucket",
        TransformKind.Truncate => column + "_trunc",
        _ => column + "_null",
    };

    private static (Transform, string) ParseTerm(string term, int position)
    {
        var open = term.IndexOf('(');
        if (open < 0)
        {
            if (term.IndexOf(')') >= 0) throw Bad(term, position, "unbalanced parentheses");
            return (Transform.Identity, term);
        }
        if (!term.EndsWith(')')) throw Bad(term, position, "expected ')' at the end");
        var name = term[..open].Trim().ToLowerInvariant();
        var args = term[(open + 1)..^1].Split(',');
        for (var i = 0; i < args.Length; i++) args[i] = args[i].Trim();
        switch (name)
        {
            case "identity": return (Transform.Identity, One(args, term, position));
            case "year" or "years": return (Transform.Year, One(args, term, position));
            case "month" or "months": return (Transform.Month, One(args, term, position));
            case "day" or "days" or "date": return (Transform.Day, One(args, term, position));
            case "hour" or "hours" or "date_hour": return (Transform.Hour, One(args, term, position));
            case "void" or "alwaysnull": return (Transform.Void, One(args, term, position));
            case "bucket":
                {
                    var (n, column) = Two(args, term, position);
                    return (Transform.Bucket(n), column);
                }
            case "truncate":
                {
                    var (w, column) = Two(args, term, position);
                    return (Transform.Truncate(w), column);
                }
            default:
                throw Bad(term, position, $"unknown transform '{name}' (expected identity, year, month, day, hour, bucket(N, col), truncate(W, col) or void)");
        }
    }

    private static string One(string[] args, string term, int position)
    {
        if (args.Length != 1 || args[0].Length == 0) throw Bad(term, position, "expected exactly one column");
        return args[0];
    }

    private static (int, string) Two(string[] args, string term, int position)
    {
        if (args.Length != 2 || args[1].Length == 0) throw Bad(term, position, "expected (N, column)");
        // Accept both bucket(16, col) (Spark) and bucket(col, 16) (Trino) orders.
        if (int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) return (n, args[1]);
        if (int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out n) && n > 0) return (n, args[0]);
        throw Bad(term, position, "the parameter must be a positive integer");
    }

    private static FloeException Bad(string term, int position, string why) =>
        Errors.InvalidArgument($"partition spec term {position} '{term}': {why}");

    private static List<(string Term, int Position)> SplitTopLevel(string text)
    {
        var result = new List<(string, int)>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var term = text[start..i].Trim();
                if (term.Length == 0) throw Errors.InvalidArgument($"partition spec '{text}': empty term at character {start + 1}");
                result.Add((term, result.Count + 1));
                start = i + 1;
            }
            else if (text[i] == '(') depth++;
            else if (text[i] == ')')
            {
                if (--depth < 0) throw Errors.InvalidArgument($"partition spec '{text}': unbalanced ')' at character {i + 1}");
            }
        }
        if (depth != 0) throw Errors.InvalidArgument($"partition spec '{text}': unbalanced '('");
        return result;
    }
}
