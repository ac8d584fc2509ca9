using System.Globalization;
using System.Text;

namespace Floe.Features.Sources;

/// <summary>
/// Parses ISO-8601 timestamps from UTF-8 (<c>2024-03-01T12:00:00Z</c>, <c>2024-03-01 12:00:00.123456</c>,
/// <c>…+02:00</c>, or a bare date) into microseconds since the Unix epoch. Text without an offset is UTC.
/// </summary>
internal static class TimestampText
{
    public static bool TryParse(ReadOnlySpan<byte> s, out long micros)
    {
        micros = 0;
        // Fast path: yyyy-MM-dd[(T| )HH:mm:ss[.f{1,9}]][Z|±hh:mm]
        if (s.Length < 10 || s[4] != '-' || s[7] != '-') { return false; }
        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)) { return false; }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)) { return false; }
        long seconds = 0, fraction = 0, offset = 0;
        int p = 10;
        if (p < s.Length)
        {
            if ((s[p] != 'T' && s[p] != ' ') || s.Length < p + 9 || s[p + 3] != ':' || s[p + 6] != ':') { return FallBack(s, out micros); }
            if (!Digits(s, p + 1, 2, out int h) || !Digits(s, p + 4, 2, out int m) || !Digits(s, p + 7, 2, out int sec) || h > 23 || m > 59 || sec > 59) { return false; }
            seconds = h * 3600L + m * 60L + sec;
            p += 9;
            if (p < s.Length && s[p] == '.')
            {
                p++;
                int digits = 0;
                while (p < s.Length && s[p] >= '0' && s[p] <= '9')
                {
                    if (digits < 6) { fraction = fraction * 10 + (s[p] - '0'); }
                    digits++;
                    p++;
                }
                if (digits == 0) { return false; }
                for (int k = digits; k < 6; k++) { fraction *= 10; }
            }
            if (p < s.Length)
            {
                if (s[p] == 'Z' && p == s.Length - 1) { p++; }
                else if ((s[p] == '+' || s[p] == '-') && s.Length - p == 6 && s[p + 3] == ':'
                    && Digits(s, p + 1, 2, out int oh) && Digits(s, p + 4, 2, out int om))
                {
                    offset = (oh * 3600L + om * 60L) * (s[p] == '+' ? 1 : -1);
                    p = s.Length;
                }
                else { return false; }
            }
        }
        long days = new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        micros = ((days * 86_400L) + seconds - offset) * 1_000_000L + fraction;
        return true;
    }

    private static bool FallBack(ReadOnlySpan<byte> s, out long micros)
    {
        micros = 0;
        if (!DateTimeOffset.TryParse(Encoding.UTF8.GetString(s), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto)) { return false; }
        micros = (dto.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int at, int count, out int value)
    {
        value = 0;
        for (int i = at; i < at + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9) { return false; }
            value = value * 10 + d;
        }
        return true;
    }
}
