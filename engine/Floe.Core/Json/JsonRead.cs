using System.Globalization;
using System.Text.Json;
using Floe.Core.Errors;

using Floe.Core.Types;

namespace Floe.Core.Json;

/// <summary>
/// Typed reads from a <see cref="JsonElement"/> object that fail with a <see cref="FloeException"/> naming the source
/// (file) and the JSON path of the bad field, so parsers stay declarative. A JSON <c>null</c> counts as absent.
/// </summary>
public static class JsonRead
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

    /// <summary>True when <paramref name="obj"/> has a present, non-null member <paramref name="key"/>.</summary>
    public static bool Has(JsonElement obj, string key) => TryGet(obj, key, out _);

    /// <summary>The member <paramref name="key"/>; a clear error naming <paramref name="src"/> and <paramref name="where"/> when absent.</summary>
    public static JsonElement Required(JsonElement obj, string key, string src, string where)
    {
        if (!TryGet(obj, key, out var v))
        {
            throw Floe.Core.Errors.Errors.InvalidData(src, $"{where}{key} is missing");
        }
        return v;
    }

    /// <summary>Fails unless <paramref name="e"/> is a JSON object.</summary>
    public static void ExpectObject(JsonElement e, string src, string what)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Floe.Core.Errors.Errors.InvalidData(src, $"{what} must be a JSON object, found {Kind(e)}");
        }
    }

    /// <summary>The array member <paramref name="key"/>, required.</summary>
    public static JsonElement RequiredArray(JsonElement obj, string key, string src, string where)
    {
        var v = Required(obj, key, src, where);
        if (v.ValueKind != JsonValueKind.Array) throw Bad(src, where, key, "a JSON array", v);
        return v;
    }

    /// <summary>The 32-bit integer member <paramref name="key"/>, required.</summary>
    public static int RequiredInt(JsonElement obj, string key, string src, string where) =>
        AsInt(Required(obj, key, src, where), src, where, key);

    /// <summary>The 32-bit integer member <paramref name="key"/>, or null when absent.</summary>
    public static int? OptionalInt(JsonElement obj, string key, string src, string where) =>
        TryGet(obj, key, out var v) ? AsInt(v, src, where, key) : null;

    /// <summary>The 64-bit integer member <paramref name="key"/>, required.</summary>
    public static long RequiredLong(JsonElement obj, string key, string src, string where) =>
        AsLong(Required(obj, key, src, where), src, where, key);

    /// <summary>The 64-bit integer member <paramref name="key"/>, or null when absent.</summary>
    public static long? OptionalLong(JsonElement obj, string key, string src, string where) =>
        TryGet(obj, key, out var v) ? AsLong(v, src, where, key) : null;

    /// <summary>The string member <paramref name="key"/>, required.</summary>
    public static string RequiredString(JsonElement obj, string key, string src, string where) =>
        AsString(Required(obj, key, src, where), src, where, key);

    /// <summary>The string member <paramref name="key"/>, or null when absent.</summary>
    public static string? OptionalString(JsonElement obj, string key, string src, string where) =>
        TryGet(obj, key, out var v) ? AsString(v, src, where, key) : null;

    /// <summary>The boolean member <paramref name="key"/>, required.</summary>
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

    /// <summary><paramref name="v"/> as a 32-bit integer, or a clear error naming the field.</summary>
    public static int AsInt(JsonElement v, string src, string where, string key)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        throw Bad(src, where, key, "a 32-bit integer", v);
    }

    /// <summary><paramref name="v"/> as a 64-bit integer, or a clear error naming the field.</summary>
    public static long AsLong(JsonElement v, string src, string where, string key)
    {
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var i)) return i;
        throw Bad(src, where, key, "a 64-bit integer", v);
    }

    /// <summary><paramref name="v"/> as a string, or a clear error naming the field.</summary>
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

    /// <summary>The array-of-integers member <paramref name="key"/> (empty when absent).</summary>
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

    /// <summary>The JSON path of element <paramref name="i"/> of the array <paramref name="key"/> under <paramref name="where"/>.</summary>
    public static string Index(string where, string key, int i) =>
        where + key + "[" + i.ToString(CultureInfo.InvariantCulture) + "].";

    /// <summary>The error for a member of the wrong kind: names the file, the path, what was expected and what was found.</summary>
    public static FloeException Bad(string src, string where, string key, string expected, JsonElement found) =>
        Floe.Core.Errors.Errors.InvalidData(src, $"{where}{key} must be {expected}, found {Describe(found)}");

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
