using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Application.Tables;

/// <summary>
/// The compact schema syntax of the CLI and the C ABI: <c>"id:long not null,amount:decimal(10,2),ts:timestamptz"</c>,
/// with nested types <c>struct&lt;a:int not null,b:string&gt;</c>, <c>list&lt;long&gt;</c> and <c>map&lt;string,int&gt;</c>
/// (elements and values optional unless followed by <c>not null</c>; map keys are always required).
/// Columns are optional unless followed by <c>not null</c>; top-level field ids are 1..n in order, then nested ids
/// follow field by field (a struct's children first, then their own children), as Iceberg assigns fresh ids.
/// </summary>
public static class SchemaText
{
    /// <summary>Parses the syntax into a schema with id 0.</summary>
    public static Schema Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Errors.InvalidArgument("schema is empty; expected \"name:type,...\"");
        var columns = ParseFields(text, "", 0);
        var next = columns.Count + 1;
        var fields = new List<NestedField>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            fields.Add(new NestedField(i + 1, columns[i].Name, columns[i].Required, Assign(columns[i].Type, ref next)));
        }
        return new Schema(0, fields);
    }

    private const int MaxDepth = 32;

    /// <summary>A parsed type before field ids are assigned.</summary>
    private sealed record TypeNode(char Kind, PrimitiveType? Primitive, List<FieldNode> Children);

    private sealed record FieldNode(string Name, bool Required, TypeNode Type);

    private static List<FieldNode> ParseFields(string text, string parent, int depth)
    {
        var fields = new List<FieldNode>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var part in SplitTopLevel(text))
        {
            index++;
            var where = parent.Length == 0 ? $"schema column {index}" : $"struct '{parent}' field {index}";
            if (part.Length == 0) throw Errors.InvalidArgument($"{where} is empty (a trailing or doubled comma?)");
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw Errors.InvalidArgument(parent.Length == 0 ? $"schema column '{part}' must be name:type" : $"struct '{parent}' field '{part}' must be name:type");
            var name = part[..colon].Trim();
            CheckName(name, index);
            var (typeText, required) = StripNotNull(part[(colon + 1)..]);
            var path = parent.Length == 0 ? name : parent + "." + name;
            if (!names.Add(name)) throw Errors.InvalidArgument($"schema column '{path}' is declared twice");
            fields.Add(new FieldNode(name, required, ParseNode(typeText, path, depth)));
        }
        return fields;
    }

    private static (string Text, bool Required) StripNotNull(string text)
    {
        var t = text.Trim();
        if (t.EndsWith(" not null", StringComparison.OrdinalIgnoreCase)) return (t[..^" not null".Length].Trim(), true);
        return (t, false);
    }

    private static TypeNode ParseNode(string text, string column, int depth)
    {
        if (depth >= MaxDepth) throw Errors.InvalidArgument($"column '{column}': types nested deeper than {MaxDepth} levels");
        var t = text.Trim();
        var open = t.IndexOf('<', StringComparison.Ordinal);
        if (open < 0 || !t.EndsWith('>')) return new TypeNode('p', ParseType(t, column), new List<FieldNode>());
        var kind = t[..open].Trim().ToLowerInvariant();
        var inner = t[(open + 1)..^1];
        switch (kind)
        {
            case "struct":
                if (inner.Trim().Length == 0) throw Errors.InvalidArgument($"column '{column}': a struct needs at least one field");
                return new TypeNode('s', null, ParseFields(inner, column, depth + 1));
            case "list":
                {
                    var (element, required) = StripNotNull(inner);
                    return new TypeNode('l', null, new List<FieldNode> { new("element", required, ParseNode(element, column + ".element", depth + 1)) });
                }
            case "map":
                {
                    var parts = SplitTopLevel(inner).ToList();
                    if (parts.Count != 2) throw Errors.InvalidArgument($"column '{column}': map<key,value> takes two types");
                    var (key, _) = StripNotNull(parts[0]); // keys are required whether or not it is said
                    var (value, required) = StripNotNull(parts[1]);
                    return new TypeNode('m', null, new List<FieldNode>
                {
                    new("key", true, ParseNode(key, column + ".key", depth + 1)),
                    new("value", required, ParseNode(value, column + ".value", depth + 1)),
                });
                }
            default:
                throw Errors.InvalidArgument($"column '{column}': unknown type '{text.Trim()}' (nested types are struct<...>, list<...> and map<...,...>)");
        }
    }

    private static IcebergType Assign(TypeNode node, ref int next)
    {
        switch (node.Kind)
        {
            case 's':
                {
                    var first = next;
                    next += node.Children.Count;
                    var fields = new List<NestedField>(node.Children.Count);
                    for (var i = 0; i < node.Children.Count; i++)
                    {
                        var c = node.Children[i];
                        fields.Add(new NestedField(first + i, c.Name, c.Required, Assign(c.Type, ref next)));
                    }
                    return new StructType(fields);
                }
            case 'l':
                {
                    var id = next++;
                    var element = node.Children[0];
                    return new ListType(id, element.Required, Assign(element.Type, ref next));
                }
            case 'm':
                {
                    var keyId = next++;
                    var valueId = next++;
                    var keyType = Assign(node.Children[0].Type, ref next);
                    var value = node.Children[1];
                    return new MapType(keyId, keyType, valueId, value.Required, Assign(value.Type, ref next));
                }
            default:
                return node.Primitive!;
        }
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

    /// <summary>Splits on commas that are not inside parentheses, brackets or angle brackets.</summary>
    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[' or '<': depth++; break;
                case ')' or ']' or '>': depth--; break;
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
