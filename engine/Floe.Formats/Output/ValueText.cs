using System.Globalization;
using Floe.Core.Types;

namespace Floe.Formats.Output;

/// <summary>Formats engine values as text the way the CSV reader parses them back (round-trip safe).</summary>
public static class ValueText
{
    /// <summary>Text of a non-null value of <paramref name="type"/>.</summary>
    public static string Format(object value, PrimitiveType type) => type.Id switch
    {
        TypeId.Boolean => (bool)value ? "true" : "false",
        TypeId.Date => DateOnly.FromDayNumber(719162 + (int)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TypeId.Time => TimeOnly.FromTimeSpan(TimeSpan.FromTicks((long)value * 10)).ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        TypeId.Timestamp => FormatMicros((long)value, utc: false),
        TypeId.TimestampTz => FormatMicros((long)value, utc: true),
        TypeId.Float => ((float)value).ToString("R", CultureInfo.InvariantCulture),
        TypeId.Double => ((double)value).ToString("R", CultureInfo.InvariantCulture),
        TypeId.Binary or TypeId.Fixed => Convert.ToBase64String((byte[])value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>ISO-8601 with microseconds; <c>Z</c> suffix for timestamptz.</summary>
    public static string FormatMicros(long micros, bool utc)
    {
        var dt = DateTime.UnixEpoch.AddTicks(micros * 10);
        var text = dt.ToString(dt.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return utc ? text + "Z" : text;
    }
}
