using System.Globalization;

namespace Floe.Stress.Tests;

/// <summary>
/// One row of the events table. <see cref="Key"/> is the row's full content as text, so a table's rows compare as
/// a multiset of keys; entity ids are unique per written row, so a lost or duplicated row always shows.
/// </summary>
internal sealed record EventRow(long EntityId, long EventTimeMicros, double? Amount, string? Category)
{
    /// <summary>Days since 1970-01-01 of 2024-01-01, the first day rows are written to.</summary>
    public const int FirstEpochDay = 19723;

    private const long MicrosPerDay = 86_400_000_000L;

    /// <summary>The day partition (<c>day(event_time)</c>) as days since the epoch.</summary>
    public int EpochDay => (int)(EventTimeMicros / MicrosPerDay);

    /// <summary>The row's content as one string.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"{EntityId}|{EventTimeMicros}|{(Amount is { } a ? a.ToString("R", CultureInfo.InvariantCulture) : "null")}|{Category ?? "null"}");

    /// <summary>A deterministic row for <paramref name="entityId"/> on day <paramref name="dayOffset"/> after 2024-01-01.</summary>
    public static EventRow Create(long entityId, int dayOffset)
    {
        var micros = (FirstEpochDay + dayOffset) * MicrosPerDay + (entityId * 7_919_993L % MicrosPerDay);
        double? amount = entityId % 13 == 0 ? null : double.Parse((entityId % 100_000 / 100.0).ToString("F2", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        string? category = (entityId % 7) switch { 0 => null, 1 => "fuel", 2 => "grocery", 3 => "online", 4 => "travel", 5 => "utilities", _ => "dining, \"out\"" };
        return new EventRow(entityId, micros, amount, category);
    }

    /// <summary>The CSV line of this row (header: <c>entity_id,event_time,amount,category</c>; empty cell = null).</summary>
    public string ToCsvLine()
    {
        var time = DateTime.UnixEpoch.AddTicks(EventTimeMicros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var amount = Amount is { } a ? a.ToString("F2", CultureInfo.InvariantCulture) : "";
        var category = Category is null ? "" : Category.Contains(',') || Category.Contains('"') ? "\"" + Category.Replace("\"", "\"\"") + "\"" : Category;
        return $"{EntityId},{time},{amount},{category}";
    }
}
