using Floe.Core.Errors;
using Floe.Iceberg.Spec;

namespace Floe.Application.Tables;

/// <summary>
/// The compact schema syntax of the CLI and the C ABI: <c>"id:long not null,amount:decimal(10,2),ts:timestamptz"</c>.
/// Columns are optional unless followed by <c>not null</c>; field ids are assigned 1..n in order.
/// </summary>
public static class SchemaText
{
    /// <summary>Parses the syntax into a schema with id 0.</summary>
    public static Schema Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Errors.InvalidArgument("schema is empty; expected \"name:type,...\"");
        var fields = new List<NestedField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var part in SplitTopLevel(text))
        {
            index++;
            if (part.Length == 0) throw Errors.InvalidArgument($"schema column {index} is empty (a trailing or doubled comma?)");
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw Errors.InvalidArgument($"schema column '{part}' must be name:type");
            var name = part[..colon].Trim();
            CheckName(name, index);
            var typeText = part[(colon + 1)..].Trim();
            var required = false;
            if (typeText.EndsWith(" not null", StringComparison.OrdinalIgnoreCase))
            {
                required = true;
                typeText = typeText[..^" not null".Length].Trim();
            }
            if (!names.Add(name)) throw Errors.InvalidArgument($"schema column '{name}' is declared twice");
            fields.Add(new NestedField(fields.Count + 1, name, required, ParseType(typeText, name)));
        }
        return new Schema(0, fields);
    }

    /// <summary>Parses one primitive type name as the spec spells it (<c>decimal(9,2)</c>, <c>fixed[16]</c>, ...).</summary>
    public static PrimitiveType ParseType(string text, string column)
    {
        // The spelling of types is the Iceberg spec's, parsed in one place (SchemaParser); the command line also
        // takes the SQL names people type (bigint, integer, bool, ...) and any letter case.
        var t = text.Trim().ToLowerInvariant();
        t = t switch
        {
            "bool" => "boolean",
            "integer" or "int32" => "int",
            "bigint" or "int64" => "long",
            _ => t,
        };
        try
        {
            return SchemaParser.ParsePrimitive(t);
        }
        catch (FloeException e) when (e.Code == FloeErrorCode.Unsupported)
        {
            throw Errors.Unsupported($"column '{column}': {e.Message}");
        }
        catch (FloeException)
        {
            throw Errors.InvalidArgument($"column '{column}': unknown type '{text}' (expected boolean, int, long, float, double, decimal(P,S), date, time, timestamp, timestamptz, string, uuid, binary or fixed[L])");
        }
    }

    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[': depth++; break;
                case ')' or ']': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }
        // The last part is returned even when empty, so a trailing comma is reported rather than ignored.
        yield return text[start..].Trim();
    }

    /// <summary>
    /// Refuses column names no reader can round-trip: empty, with control characters, or not valid Unicode (an
    /// invalid UTF-8 byte on the command line arrives as U+FFFD; a lone surrogate cannot be written as UTF-8).
    /// </summary>
    private static void CheckName(string name, int index)
    {
        if (name.Length == 0) throw Errors.InvalidArgument($"schema column {index} has an empty name");
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c)) throw Errors.InvalidArgument($"schema column {index}: name contains a control character (U+{(int)c:X4})");
            if (c == '\uFFFD') throw Errors.InvalidArgument($"schema column {index}: name is not valid UTF-8");
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) throw Errors.InvalidArgument($"schema column {index}: name is not valid UTF-8 (a lone surrogate)");
        }
    }
}
