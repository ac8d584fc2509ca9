using System.Globalization;
using System.Text;

namespace Floe.Features.Definitions;

/// <summary>
/// Parses and formats durations written as one or more number-unit parts, e.g. <c>10m</c>, <c>1h30m</c>, <c>7d</c>.
/// Units: <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c> (24 h), <c>w</c> (7 d).
/// </summary>
public static class Durations
{
    /// <summary>Microseconds per day.</summary>
    public const long MicrosPerDay = 86_400_000_000L;

    /// <summary>The UTC day (days since 1970-01-01) holding <paramref name="micros"/>, rounding down for times before 1970.</summary>
    public static long FloorDay(long micros) => Math.DivRem(micros, MicrosPerDay, out long rem) - (rem < 0 ? 1 : 0);

    /// <summary>
    /// Whole days that hold a span of <paramref name="micros"/> (at least zero), a part day counting as one: a window's
    /// days. Rounded up by the remainder, not by adding a day's microseconds first, which overflows for windows within
    /// a day of <see cref="long.MaxValue"/>.
    /// </summary>
    internal static long CeilingDays(long micros) => (micros / MicrosPerDay) + (micros % MicrosPerDay == 0 ? 0 : 1);

    /// <summary>The first and last UTC day (<see cref="FloorDay"/>) among <paramref name="micros"/>; (MaxValue, MinValue) when empty.</summary>
    internal static (long First, long Last) DayRange(ReadOnlySpan<long> micros)
    {
        if (micros.IsEmpty) { return (long.MaxValue, long.MinValue); }
        // FloorDay is monotonic: the days of the earliest and latest times, rather than a division per time. The scan
        // is the kernels' vector min/max: a scalar loop was 20 instructions an event of the 1M-event bench's 4.5G,
        // partly on the main thread between the read and the first chunk.
        Floe.Kernels.Aggregates.MaskedMinMax.Find(micros, ReadOnlySpan<ulong>.Empty, out long min, out long max, out _);
        return (FloorDay(min), FloorDay(max));
    }

    /// <summary>
    /// Whole days from <paramref name="dayStart"/> (the first microsecond of a UTC day) to <paramref name="micros"/>,
    /// which must be at or after it and under 2^31 days on: the day's offset as one multiply, for the loops that file
    /// every event by day (<see cref="FloorDay"/> is a signed division and a remainder).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static int DaysFrom(long dayStart, long micros) => (int)((ulong)(micros - dayStart) / (ulong)MicrosPerDay);

    /// <summary>Parses <paramref name="text"/> into a positive number of microseconds; false when malformed.</summary>
    public static bool TryParse(string text, out long micros)
    {
        micros = 0;
        int i = 0;
        if (text.Length == 0)
        {
            return false;
        }
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            if (i == start || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                return false;
            }
            int unitStart = i;
            while (i < text.Length && char.IsAsciiLetterLower(text[i]))
            {
                i++;
            }
            long unit = text.AsSpan(unitStart, i - unitStart) switch
            {
                "us" => 1L,
                "ms" => 1_000L,
                "s" => 1_000_000L,
                "m" => 60_000_000L,
                "h" => 3_600_000_000L,
                "d" => MicrosPerDay,
                "w" => 7 * MicrosPerDay,
                _ => 0L,
            };
            if (unit == 0)
            {
                return false;
            }
            try
            {
                micros = checked(micros + checked(n * unit));
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return micros > 0;
    }

    /// <summary>Formats microseconds with the largest units that divide it, e.g. <c>1d2h</c>.</summary>
    public static string Format(long micros)
    {
        var sb = new StringBuilder();
        ReadOnlySpan<(long Size, string Unit)> units =
            [(MicrosPerDay, "d"), (3_600_000_000L, "h"), (60_000_000L, "m"), (1_000_000L, "s"), (1_000L, "ms"), (1L, "us")];
        foreach (var (size, unit) in units)
        {
            if (micros >= size)
            {
                sb.Append((micros / size).ToString(CultureInfo.InvariantCulture)).Append(unit);
                micros %= size;
            }
        }
        return sb.Length == 0 ? "0s" : sb.ToString();
    }
}
