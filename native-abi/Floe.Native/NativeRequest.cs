using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Text;

namespace Floe.Native;

/// <summary>
/// A JSON request or options object passed across the ABI, read strictly: it must be an object, every field must be
/// one the call knows, and every value must have the field's type; otherwise <see cref="FloeErrorCode.InvalidArgument"/>
/// naming the argument and the field. A missing field and a JSON null both mean "not given".
/// </summary>
internal sealed class NativeRequest : IDisposable
{
    private readonly JsonDocument? _document;
    private readonly string _name;

    private NativeRequest(JsonDocument? document, string name)
    {
        _document = document;
        _name = name;
    }

    /// <summary>Parses <paramref name="text"/> (null = an empty object) and checks its fields against <paramref name="fields"/>.</summary>
    /// <param name="text">The JSON text, or null.</param>
    /// <param name="name">The C parameter name, used in messages.</param>
    /// <param name="fields">The field names the call accepts.</param>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> for bad JSON, a non-object or an unknown field.</exception>
    public static NativeRequest Parse(string? text, string name, params string[] fields)
    {
        if (text is null)
        {
            return new NativeRequest(null, name);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw Errors.InvalidArgument($"{name} is not valid JSON: {ErrorClassifier.OneLine(e.Message)}");
        }

        try
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Errors.InvalidArgument($"{name} must be a JSON object");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Array.IndexOf(fields, property.Name) < 0)
                {
                    throw Errors.InvalidArgument($"{name}: unknown field \"{property.Name}\" (known: {string.Join(", ", fields)})");
                }
            }

            return new NativeRequest(document, name);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>A string field, or null when absent.</summary>
    public string? String(string field)
    {
        if (!TryGet(field, out var value)) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(field, "a string");
    }

    /// <summary>A string field that must be present and non-empty.</summary>
    public string RequiredString(string field) =>
        String(field) is { Length: > 0 } text ? text : throw Errors.InvalidArgument($"{_name}: field \"{field}\" is required (a non-empty string)");

    /// <summary>An integer field, or null when absent.</summary>
    public long? Long(string field)
    {
        if (!TryGet(field, out var value)) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : throw WrongType(field, "an integer");
    }

    /// <summary>A non-negative 32-bit integer field, or null when absent.</summary>
    public int? Count(string field)
    {
        long? number = Long(field);
        if (number is null) return null;
        return number is >= 0 and <= int.MaxValue ? (int)number.Value : throw WrongType(field, "a non-negative integer");
    }

    /// <summary>A boolean field, or null when absent.</summary>
    public bool? Bool(string field)
    {
        if (!TryGet(field, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(field, "true or false"),
        };
    }

    /// <summary>A field holding an array of strings or one comma-separated string, or null when absent.</summary>
    public IReadOnlyList<string>? StringList(string field, bool splitCommas)
    {
        if (!TryGet(field, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String && splitCommas)
        {
            return value.GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(field, splitCommas ? "an array of strings or a comma-separated string" : "an array of strings");
        }

        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WrongType(field, "an array of strings"));
        }

        return items;
    }

    /// <summary>A date or ISO-8601 timestamp field (UTC unless it has an offset), or null when absent.</summary>
    public DateTimeOffset? Time(string field)
    {
        string? text = String(field);
        if (text is null) return null;
        if (Utf8Values.TryParseTimestamp(Encoding.UTF8.GetBytes(text.Trim()), out long micros))
        {
            return DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        }

        throw Errors.InvalidArgument($"{_name}: field \"{field}\": '{text}' is not a date or ISO-8601 timestamp");
    }

    /// <summary>A required date or timestamp field.</summary>
    public DateTimeOffset RequiredTime(string field) =>
        Time(field) ?? throw Errors.InvalidArgument($"{_name}: field \"{field}\" is required (a date or ISO-8601 timestamp)");

    /// <summary>
    /// A string field converted by <paramref name="parse"/> (an application parser that names a CLI option in its
    /// errors), or <paramref name="absent"/>; an invalid-argument error is reported against the field.
    /// </summary>
    public T Parsed<T>(string field, Func<string, T> parse, T absent)
    {
        string? text = String(field);
        if (text is null) return absent;
        try
        {
            return parse(text);
        }
        catch (FloeException e) when (e.Code == FloeErrorCode.InvalidArgument)
        {
            throw Errors.InvalidArgument($"{_name}: field \"{field}\": {ErrorClassifier.Message(e)}");
        }
    }

    /// <summary>A message prefix naming a field, for errors the caller detects itself.</summary>
    public string Describe(string field) => $"{_name}: field \"{field}\"";

    /// <inheritdoc />
    public void Dispose() => _document?.Dispose();

    private bool TryGet(string field, out JsonElement value)
    {
        if (_document is not null && _document.RootElement.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    private FloeException WrongType(string field, string expected) =>
        Errors.InvalidArgument($"{_name}: field \"{field}\" must be {expected}");
}
