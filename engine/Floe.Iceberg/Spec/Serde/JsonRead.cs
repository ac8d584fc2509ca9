using System.Globalization;
using System.Text.Json;
using Floe.Core.Errors;

namespace Floe.Iceberg.Spec.Serde;

/// <summary>
/// Typed reads from a <see cref="JsonElement"/> object that fail with a <see cref="FloeException"/> naming the source
/// (file) and the JSON path of the bad field, so parsers stay declarative. A JSON <c>null</c> counts as absent.
/// </summary>
internal static class JsonRead
{
    /// <summary>Gets a present, non-null member.</summary>
    public static bool TryGet(JsonElement obj, string key, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    public static bool Has(JsonElement obj, string key) => TryGet(obj, key, out _);

    public static JsonElement Required(JsonElement obj, string key, string src, string where)
    {
        if (!TryGet(obj, key, out var v))
        {
            throw Errors.InvalidData(src, $"{where}{key} is missing");
        }
        return v;
    }

    public static void ExpectObject(JsonElement e, string src, string what)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Errors.InvalidData(src, $"{what} must be a JSON object, found {Kind(e)}");
        }
    }

    public static JsonElement RequiredArray(JsonElement obj, string key, string src, string where)
    {
        var v = Required(obj, key, src, where);
        if (v.ValueKind != JsonValueKind.Array) throw Bad(src, where, key, "a JSON array", v);
        return v;
    }

    public static int RequiredInt(JsonElement obj, string key, string src, string where) =>
        AsInt(Required(obj, key, src, where), src, where, key);

    public static int? OptionalInt(JsonElement obj, string key, string src, string where) =>
        TryGet(obj, key, out var v) ? AsInt(v, src, where, key) : null;

    public static long RequiredLong(JsonElement obj, string key, string src, string where) =>
        AsLong(Required(obj, key, src, where), src, where, key);

    public static long? OptionalLong(JsonElement obj, string key, string src, string where) =>
        TryGet(obj, key, out var v) ? AsLong(v, src, where, key) : null;

    public static string RequiredString(JsonElement obj, string key, string src, string where) =>
        AsString(Required(obj, key, src, where), src, where, key);

    public static string? OptionalString(JsonElement obj, string key, string src, string where) =>
        TryGet(obj, key, out var v) ? AsString(v, src, where, key) : null;

    public static bool RequiredBool(JsonElement obj, string key, string src, string where)
    {
        var v = Required(obj, key, src, where);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(src, where, key, "a boolean", v),
        };
    }

    public static int AsInt(JsonElement v, string src, string where, string key)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        throw Bad(src, where, key, "a 32-bit integer", v);
    }

    public static long AsLong(JsonElement v, string src, string where, string key)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var i)) return i;
        throw Bad(src, where, key, "a 64-bit integer", v);
    }

    public static string AsString(JsonElement v, string src, string where, string key)
    {
        if (v.ValueKind == JsonValueKind.String) return v.GetString()!;
        throw Bad(src, where, key, "a string", v);
    }

    /// <summary>A string→string map (properties, summary); non-string values are kept as their raw JSON text.</summary>
    public static Dictionary<string, string> StringMap(JsonElement obj, string key, string src, string where)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!TryGet(obj, key, out var v)) return map;
        if (v.ValueKind != JsonValueKind.Object) throw Bad(src, where, key, "a JSON object", v);
        foreach (var p in v.EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Null => "null",
                _ => p.Value.GetRawText(),
            };
        }
        return map;
    }

    public static List<int> IntList(JsonElement obj, string key, string src, string where)
    {
        var list = new List<int>();
        if (!TryGet(obj, key, out var v)) return list;
        if (v.ValueKind != JsonValueKind.Array) throw Bad(src, where, key, "a JSON array", v);
        var i = 0;
        foreach (var e in v.EnumerateArray())
        {
            list.Add(AsInt(e, src, where, key + "[" + i.ToString(CultureInfo.InvariantCulture) + "]"));
            i++;
        }
        return list;
    }

    public static string Index(string where, string key, int i) =>
        where + key + "[" + i.ToString(CultureInfo.InvariantCulture) + "].";

    public static FloeException Bad(string src, string where, string key, string expected, JsonElement found) =>
        Errors.InvalidData(src, $"{where}{key} must be {expected}, found {Describe(found)}");

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "\"" + Truncate(e.GetString()!) + "\"",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => Kind(e),
    };

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
