using System.Buffers.Text;
using System.Globalization;

namespace Floe.Core.Text;

/// <summary>
/// Parses text values (UTF-8) into the engine's value representation: the same rules for CSV cells, filter
/// literals and CLI arguments. ISO-8601 timestamps without an offset are UTC.
/// </summary>
public static class Utf8Values
{
    private const long MicrosPerSecond = 1_000_000;

    /// <summary>Parses <c>yyyy-MM-dd</c> into days since 1970-01-01.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out int days)
    {
        days = 0;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-') return false;
        if (!TryDigits(text[..4], out var y) || !TryDigits(text.Slice(5, 2), out var m) || !TryDigits(text.Slice(8, 2), out var d)) return false;
        if (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(Math.Max(1, y), m)) return false;
        days = (int)(new DateOnly(y, m, d).DayNumber - DateOnly.FromDayNumber(719162).DayNumber);
        return true;
    }

    /// <summary>
    /// Parses an ISO-8601 timestamp (<c>2024-01-03T10:00:00[.ffffff][Z|±hh:mm]</c>, a space may replace <c>T</c>, a bare
    /// date means midnight) into microseconds since the epoch, UTC unless an offset is given.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out long micros) => TryParseTimestamp(text, 6, out micros);

    /// <summary>
    /// Parses an ISO-8601 timestamp as <see cref="TryParseTimestamp(ReadOnlySpan{byte}, out long)"/> does, into
    /// nanoseconds since the epoch (up to nine fraction digits; false outside the years 1677–2262 a long holds).
    /// </summary>
    public static bool TryParseTimestampNanos(ReadOnlySpan<byte> text, out long nanos) => TryParseTimestamp(text, 9, out nanos);

    private static bool TryParseTimestamp(ReadOnlySpan<byte> text, int fractionDigits, out long units)
    {
        var unitsPerSecond = fractionDigits == 9 ? 1_000_000_000L : MicrosPerSecond;
        units = 0;
        if (text.Length >= 10 && TryParseDate(text[..10], out var days))
        {
            if (text.Length == 10)
            {
                return TryScale(days * 86_400L, unitsPerSecond, 0, out units);
            }
            if (text.Length >= 19 && (text[10] == 'T' || text[10] == ' ') && text[13] == ':' && text[16] == ':' &&
                TryDigits(text.Slice(11, 2), out var hh) && TryDigits(text.Slice(14, 2), out var mm) && TryDigits(text.Slice(17, 2), out var ss) &&
                hh < 24 && mm < 60 && ss < 60)
            {
                var pos = 19;
                long fraction = 0;
                if (pos < text.Length && text[pos] == '.')
                {
                    pos++;
                    var digits = 0;
                    while (pos < text.Length && text[pos] >= '0' && text[pos] <= '9')
                    {
                        if (digits < fractionDigits)
                        {
                            fraction = fraction * 10 + (text[pos] - '0');
                        }
                        digits++;
                        pos++;
                    }
                    if (digits == 0) return false;
                    for (var i = digits; i < fractionDigits; i++) fraction *= 10;
                }
                long offsetSeconds = 0;
                if (pos < text.Length)
                {
                    var rest = text[pos..];
                    if (rest.Length == 1 && (rest[0] == 'Z' || rest[0] == 'z'))
                    {
                    }
                    else if (rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
                             TryDigits(rest.Slice(1, 2), out var oh) && TryDigits(rest.Slice(4, 2), out var om))
                    {
                        offsetSeconds = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
                    }
                    else
                    {
                        return false;
                    }
                }
                return TryScale((days * 86_400L) + hh * 3600 + mm * 60 + ss - offsetSeconds, unitsPerSecond, fraction, out units);
            }
        }
        return false;
    }

    private static bool TryScale(long seconds, long unitsPerSecond, long fraction, out long units)
    {
        var value = (Int128)seconds * unitsPerSecond + fraction;
        units = (long)value;
        return value >= long.MinValue && value <= long.MaxValue;
    }

    /// <summary>Parses <c>HH:mm:ss[.ffffff]</c> into microseconds since midnight.</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> text, out long micros)
    {
        Span<byte> buffer = stackalloc byte[40];
        micros = 0;
        if (text.Length > 20) return false;
        "1970-01-01T"u8.CopyTo(buffer);
        text.CopyTo(buffer[11..]);
        if (!TryParseTimestamp(buffer[..(11 + text.Length)], out var value) || value < 0 || value >= 86_400L * MicrosPerSecond) return false;
        micros = value;
        return true;
    }

    /// <summary>Parses true/false/1/0 (case-insensitive).</summary>
    public static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        if (text.SequenceEqual("1"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "true"u8)) { value = true; return true; }
        if (text.SequenceEqual("0"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "false"u8)) { value = false; return true; }
        value = false;
        return false;
    }

    /// <summary>Parses a 64-bit integer.</summary>
    public static bool TryParseLong(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;

    /// <summary>Parses a 32-bit integer.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> text, out int value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;

    /// <summary>
    /// Parses a double (invariant culture, NaN and Infinity accepted when spelled out). A number too large for a
    /// double (<c>1e400</c>) is refused: .NET would round it to Infinity, silently storing a different value.
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) &&
        (double.IsFinite(value) || SpellsOutInfinity(text));

    /// <summary>True when <paramref name="text"/> names infinity in letters (<c>Infinity</c>, <c>-inf</c>, <c>∞</c>) rather than overflowing digits.</summary>
    public static bool SpellsOutInfinity(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is (byte)'n' or (byte)'N' or 0xE2) return true;
        }
        return false;
    }

    /// <summary>Parses a decimal number (invariant culture).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out value);

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b < '0' || b > '9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }
}
