using System.Globalization;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Literal conversion into the CLR representation of a column type, and the value order the evaluators use:
/// numbers by value, strings by Unicode code point (= UTF-8 byte order, as Iceberg bounds), uuids and binary as
/// unsigned big-endian bytes.
/// </summary>
internal static class Literals
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Converts a programmatic value (already-typed CLR value, a number of another width, or a string) to <paramref name="type"/>.</summary>
    public static object Coerce(PrimitiveType type, object value, string column)
    {
        switch (value)
        {
            case string s when type.Id != TypeId.String:
                return FromText(type, s, isNumber: false, column, position: 0);
            case decimal m when type.Id == TypeId.Decimal:
                // Re-bound at the column's scale: 1.005 on a scale-2 column is refused, not rounded.
                return FromText(type, m.ToString(CultureInfo.InvariantCulture), isNumber: true, column, 0);
            case bool when type.Id == TypeId.Boolean:
            case int when type.Id is TypeId.Int or TypeId.Date:
            case long when type.Id is TypeId.Long or TypeId.Time or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs:
            case float when type.Id == TypeId.Float:
            case double when type.Id == TypeId.Double:
            case string when type.Id == TypeId.String:
            case Guid when type.Id == TypeId.Uuid:
            case byte[] when type.Id is TypeId.Binary or TypeId.Fixed:
                return value;
            case int or long or float or double or decimal or short or byte:
                return FromText(type, Convert.ToString(value, CultureInfo.InvariantCulture)!, isNumber: true, column, 0);
            case DateTimeOffset dto when type.Id is TypeId.Timestamp or TypeId.TimestampTz:
                return (dto.UtcTicks - EpochTicks) / 10;
            case DateTime dt when type.Id is TypeId.Timestamp or TypeId.TimestampTz:
                return (dt.Ticks - EpochTicks) / 10;
            case DateOnly d when type.Id == TypeId.Date:
                return d.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
            default:
                throw Errors.InvalidArgument($"literal {value} ({value.GetType().Name}) does not fit column '{column}' of type {type}");
        }
    }

    /// <summary>
    /// Converts literal text: numbers for numeric columns (and raw values of date/time/timestamp columns), ISO-8601
    /// strings for date (<c>2024-01-03</c>), time and timestamps (UTC unless an offset is given), hex for binary.
    /// </summary>
    public static object FromText(PrimitiveType type, string text, bool isNumber, string column, int position)
    {
        var inv = CultureInfo.InvariantCulture;
        var where = position > 0 ? $" at character {position}" : "";
        FloeException Bad(string why) =>
            Errors.InvalidArgument($"literal '{text}'{where} does not fit column '{column}' of type {type}: {why}");
        switch (type.Id)
        {
            case TypeId.Boolean:
                return text.ToLowerInvariant() switch { "true" => true, "false" => false, _ => throw Bad("expected true or false") };
            case TypeId.Int:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var i) ? i : throw Bad("expected a 32-bit integer");
            case TypeId.Long:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var l) ? l : throw Bad("expected a 64-bit integer");
            case TypeId.Float:
                return float.TryParse(text, NumberStyles.Float, inv, out var f) && (float.IsFinite(f) || Floe.Core.Text.Utf8Values.SpellsOutInfinity(System.Text.Encoding.UTF8.GetBytes(text)))
                    ? f : throw Bad("expected a number in the column's range");
            case TypeId.Double:
                return double.TryParse(text, NumberStyles.Float, inv, out var d) && (double.IsFinite(d) || Floe.Core.Text.Utf8Values.SpellsOutInfinity(System.Text.Encoding.UTF8.GetBytes(text)))
                    ? d : throw Bad("expected a number in the column's range");
            case TypeId.Decimal:
                {
                    var unscaled = DecimalLiteral.TryParse(text, type, out var why) ?? throw Bad(why);
                    return DecimalLiteral.ToClr(unscaled, type, Bad);
                }
            case TypeId.String:
                return text;
            case TypeId.Uuid:
                return Guid.TryParse(text, out var g) ? g : throw Bad("expected a UUID");
            case TypeId.Binary:
            case TypeId.Fixed:
                try
                {
                    var bytes = Convert.FromHexString(text);
                    if (type.Id == TypeId.Fixed && bytes.Length != type.Length) throw Bad($"expected {type.Length} bytes");
                    return bytes;
                }
                catch (FormatException)
                {
                    throw Bad("expected hexadecimal bytes");
                }
            case TypeId.Date:
                if (isNumber) return int.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var days) ? days : throw Bad("expected days since 1970-01-01");
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", inv, DateTimeStyles.None, out var date))
                {
                    return date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
                }
                throw Bad("expected an ISO date such as 2024-01-03");
            case TypeId.Time:
                if (isNumber) return long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var tm) ? tm : throw Bad("expected microseconds since midnight");
                if (TimeOnly.TryParse(text, inv, DateTimeStyles.None, out var time)) return time.Ticks / 10;
                throw Bad("expected an ISO time such as 10:30:00");
            default:
                {
                    // timestamp, timestamptz, timestamp_ns, timestamptz_ns
                    var nanos = type.Id is TypeId.TimestampNs or TypeId.TimestampTzNs;
                    if (isNumber) return long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var raw) ? raw : throw Bad("expected an integer timestamp");
                    if (DateTimeOffset.TryParse(text, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
                    {
                        var ticks = dto.UtcTicks - EpochTicks;
                        return nanos ? ticks * 100 : ticks / 10;
                    }
                    throw Bad("expected an ISO-8601 timestamp such as 2024-01-03T00:00:00Z");
                }
        }
    }


    /// <summary>A literal as expression text (strings and temporal values quoted).</summary>
    public static string Format(PrimitiveType type, object value) => type.Id switch
    {
        TypeId.Boolean or TypeId.Int or TypeId.Long or TypeId.Float or TypeId.Double or TypeId.Decimal =>
            TransformFunctions.ToHumanString(Transform.Identity, type, value),
        TypeId.Binary or TypeId.Fixed => "'" + Convert.ToHexString((byte[])value) + "'",
        TypeId.TimestampTz or TypeId.TimestampTzNs => "'" + TransformFunctions.ToHumanString(Transform.Identity, type, value) + "'",
        TypeId.Timestamp or TypeId.TimestampNs => "'" + TransformFunctions.ToHumanString(Transform.Identity, type, value) + "Z'",
        _ => "'" + TransformFunctions.ToHumanString(Transform.Identity, type, value).Replace("'", "''", StringComparison.Ordinal) + "'",
    };
}
