using System.Runtime.CompilerServices;

namespace Floe.Iceberg.Transforms;

/// <summary>
/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01) without DateTime, so values far
/// outside DateTime's range still work and the hot loops stay branch-light (H. Hinnant's civil algorithms).
/// </summary>
internal static class DateMath
{
    public const long MicrosPerSecond = 1_000_000L;
    public const long MicrosPerHour = 3_600_000_000L;
    public const long MicrosPerDay = 86_400_000_000L;
    public const long NanosPerMicro = 1_000L;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && ((a ^ b) < 0)) ? q - 1 : q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

    /// <summary>Year, month (1-12) and day (1-31) of a day number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CivilFromDays(long days, out long year, out int month, out int day)
    {
        var z = days + 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = z - era * 146097;                                   // [0, 146096]
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; // [0, 399]
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            // [0, 365]
        var mp = (5 * doy + 2) / 153;                                  // [0, 11]
        day = (int)(doy - (153 * mp + 2) / 5 + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    }

    /// <summary>The day number of a civil date.</summary>
    public static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yoe = year - era * 400;
        var doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /// <summary>Years since 1970 of a day number (floor semantics: 1969-12-31 is -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int YearsFromDays(long days)
    {
        CivilFromDays(days, out var y, out _, out _);
        return checked((int)(y - 1970));
    }

    /// <summary>Months since 1970-01 of a day number (floor semantics).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MonthsFromDays(long days)
    {
        CivilFromDays(days, out var y, out var m, out _);
        return checked((int)((y - 1970) * 12 + (m - 1)));
    }
}
