using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Floe.Features.Definitions;

/// <summary>
/// Reads the YAML subset used for definitions into the same <see cref="JsonNode"/> tree as JSON, so one validator
/// serves both: block mappings and sequences by indentation, <c>- key: value</c> items, flow <c>[...]</c> and
/// <c>{...}</c> collections, plain, single- and double-quoted scalars, <c>#</c> comments, a leading <c>---</c>.
/// Plain scalars become integers, floats, booleans (<c>true</c>/<c>false</c>) or null (<c>null</c>, <c>~</c>, empty) as in
/// YAML 1.2's core schema. Anchors, tags, multi-line scalars and multiple documents are rejected.
/// Hand-written rather than YamlDotNet because its object model relies on reflection (not NativeAOT-clean).
/// </summary>
public sealed class YamlSubsetReader
{
    /// <summary>How deeply blocks and flow collections may nest (the JSON reader's default limit, so both formats agree).</summary>
    public const int MaxDepth = 64;

    private readonly List<(int Indent, string Text, int LineNo)> _lines = [];
    private int _index;
    private int _depth;

    private YamlSubsetReader(string text)
    {
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            string line = StripComment(raw[i]).TrimEnd();
            if (line.Trim().Length == 0 || (line == "---" && _lines.Count == 0))
            {
                continue;
            }
            if (line.Contains('\t', StringComparison.Ordinal) && line.TrimStart(' ').StartsWith('\t'))
            {
                throw new FormatException($"line {i + 1}: tabs are not allowed for indentation");
            }
            int indent = line.Length - line.TrimStart(' ').Length;
            _lines.Add((indent, line[indent..], i + 1));
        }
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the line on malformed input.</summary>
    public static JsonNode? Parse(string text)
    {
        var r = new YamlSubsetReader(text);
        if (r._lines.Count == 0)
        {
            return null;
        }
        var node = r.ParseBlock(r._lines[0].Indent);
        if (r._index < r._lines.Count)
        {
            throw new FormatException($"line {r._lines[r._index].LineNo}: unexpected indentation");
        }
        return node;
    }

    private static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote) { quote = '\0'; }
                continue;
            }
            if (c is '\'' or '"') { quote = c; }
            else if (c == '#' && (i == 0 || line[i - 1] == ' ')) { return line[..i]; }
        }
        return line;
    }

    private JsonNode? ParseBlock(int indent)
    {
        var (_, text, lineNo) = _lines[_index];
        // Block nesting recurses (a sequence item may itself be a mapping, and so on): cap it like JSON's MaxDepth.
        if (++_depth > MaxDepth)
        {
            throw new FormatException($"line {lineNo}: nested deeper than {MaxDepth} levels");
        }
        JsonNode? node = text.StartsWith("- ", StringComparison.Ordinal) || text == "-" ? ParseSequence(indent) : ParseMapping(indent);
        _depth--;
        return node;
    }

    private JsonArray ParseSequence(int indent)
    {
        var arr = new JsonArray();
        while (_index < _lines.Count && _lines[_index].Indent == indent && (_lines[_index].Text.StartsWith("- ", StringComparison.Ordinal) || _lines[_index].Text == "-"))
        {
            var (_, text, lineNo) = _lines[_index];
            string rest = text.Length > 1 ? text[2..].TrimStart(' ') : "";
            if (rest.Length == 0)
            {
                _index++;
                arr.Add(_index < _lines.Count && _lines[_index].Indent > indent ? ParseBlock(_lines[_index].Indent) : null);
                continue;
            }
            int itemIndent = indent + (text.Length - rest.Length);
            if (FindMappingColon(rest) >= 0 && rest[0] is not ('[' or '{' or '"' or '\''))
            {
                // "- key: value" starts a mapping whose keys align with "key".
                _lines[_index] = (itemIndent, rest, lineNo);
                if (++_depth > MaxDepth)
                {
                    throw new FormatException($"line {lineNo}: nested deeper than {MaxDepth} levels");
                }
                arr.Add((JsonNode)ParseMapping(itemIndent));
                _depth--;
            }
            else
            {
                _index++;
                arr.Add(ParseScalarOrFlow(rest, lineNo));
            }
        }
        return arr;
    }

    private JsonObject ParseMapping(int indent)
    {
        var obj = new JsonObject();
        while (_index < _lines.Count && _lines[_index].Indent == indent)
        {
            var (_, text, lineNo) = _lines[_index];
            int colon = FindMappingColon(text);
            if (colon < 0)
            {
                throw new FormatException($"line {lineNo}: expected 'key: value'");
            }
            string key = Unquote(text[..colon].Trim(), lineNo);
            string rest = text[(colon + 1)..].Trim();
            if (obj.ContainsKey(key))
            {
                throw new FormatException($"line {lineNo}: duplicate key '{key}'");
            }
            _index++;
            if (rest.Length == 0)
            {
                bool nested = _index < _lines.Count && (_lines[_index].Indent > indent
                    || (_lines[_index].Indent == indent && _lines[_index].Text.StartsWith("- ", StringComparison.Ordinal)));
                obj[key] = nested ? ParseBlock(_lines[_index].Indent) : null;
            }
            else
            {
                obj[key] = ParseScalarOrFlow(rest, lineNo);
            }
        }
        return obj;
    }

    private static int FindMappingColon(string text)
    {
        char quote = '\0';
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0') { if (c == quote) { quote = '\0'; } continue; }
            switch (c)
            {
                case '\'' or '"': quote = c; break;
                case '[' or '{': depth++; break;
                case ']' or '}': depth--; break;
                case ':' when depth == 0 && (i + 1 == text.Length || text[i + 1] == ' '): return i;
            }
        }
        return -1;
    }

    private static JsonNode? ParseScalarOrFlow(string text, int lineNo)
    {
        if (text[0] is '[' or '{')
        {
            int pos = 0;
            var node = ParseFlow(text, ref pos, lineNo, 1);
            if (text[pos..].Trim().Length > 0)
            {
                throw new FormatException($"line {lineNo}: unexpected text after flow collection");
            }
            return node;
        }
        if (text[0] is '&' or '*' or '!' or '|' or '>')
        {
            throw new FormatException($"line {lineNo}: anchors, aliases, tags and block scalars are not supported");
        }
        return Scalar(text, lineNo);
    }

    private static JsonNode? ParseFlow(string text, ref int pos, int lineNo, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"line {lineNo}: flow collection nested deeper than {MaxDepth} levels");
        }
        SkipSpaces(text, ref pos);
        if (pos >= text.Length) { throw new FormatException($"line {lineNo}: unterminated flow collection"); }
        char open = text[pos];
        if (open is not ('[' or '{'))
        {
            int start = pos;
            char quote = '\0';
            while (pos < text.Length)
            {
                char c = text[pos];
                if (quote != '\0') { if (c == quote) { quote = '\0'; } }
                else if (c is '\'' or '"') { quote = c; }
                else if (c is ',' or ']' or '}' || (c == ':' && pos + 1 < text.Length && text[pos + 1] == ' ')) { break; }
                pos++;
            }
            return Scalar(text[start..pos].Trim(), lineNo);
        }
        pos++;
        char close = open == '[' ? ']' : '}';
        JsonNode result = open == '[' ? new JsonArray() : new JsonObject();
        while (true)
        {
            SkipSpaces(text, ref pos);
            if (pos >= text.Length) { throw new FormatException($"line {lineNo}: unterminated flow collection"); }
            if (text[pos] == close) { pos++; return result; }
            var item = ParseFlow(text, ref pos, lineNo, depth + 1);
            SkipSpaces(text, ref pos);
            if (result is JsonObject o)
            {
                if (pos >= text.Length || text[pos] != ':') { throw new FormatException($"line {lineNo}: expected ':' in flow mapping"); }
                pos++;
                string key = item is JsonValue kv && kv.TryGetValue(out string? ks) ? ks : item?.ToJsonString() ?? "null";
                o[key] = ParseFlow(text, ref pos, lineNo, depth + 1);
                SkipSpaces(text, ref pos);
            }
            else
            {
                ((JsonArray)result).Add(item);
            }
            if (pos < text.Length && text[pos] == ',') { pos++; }
            else if (pos >= text.Length || text[pos] != close) { throw new FormatException($"line {lineNo}: expected ',' or '{close}'"); }
        }
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ') { pos++; }
    }

    private static string Unquote(string text, int lineNo)
    {
        if (text.Length >= 2 && (text[0] == '"' || text[0] == '\''))
        {
            return Scalar(text, lineNo) is JsonValue v && v.TryGetValue(out string? s) ? s : text;
        }
        return text;
    }

    private static JsonNode? Scalar(string text, int lineNo)
    {
        if (text.Length == 0 || text is "null" or "~" or "Null" or "NULL")
        {
            return null;
        }
        if (text[0] == '\'')
        {
            if (text.Length < 2 || text[^1] != '\'') { throw new FormatException($"line {lineNo}: unterminated quoted string"); }
            return JsonValue.Create(text[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }
        if (text[0] == '"')
        {
            if (text.Length < 2 || text[^1] != '"') { throw new FormatException($"line {lineNo}: unterminated quoted string"); }
            var sb = new StringBuilder();
            for (int i = 1; i < text.Length - 1; i++)
            {
                char c = text[i];
                if (c != '\\' || i + 1 >= text.Length - 1) { sb.Append(c); continue; }
                char e = text[++i];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
            }
            return JsonValue.Create(sb.ToString());
        }
        if (text is "true" or "True" or "TRUE") { return JsonValue.Create(true); }
        if (text is "false" or "False" or "FALSE") { return JsonValue.Create(false); }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) { return JsonValue.Create(l); }
        if ((char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) { return JsonValue.Create(d); }
        return JsonValue.Create(text);
    }
}
