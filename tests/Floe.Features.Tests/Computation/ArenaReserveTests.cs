using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using NUnit.Framework;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// <see cref="BatchComputation.ArenaReserve"/>: the arena's reserve follows the densest span of filed days (the longest
/// window's days plus one chunk's), whatever lies outside that span, and no reserve where windows are unbounded.
/// </summary>
public sealed class ArenaReserveTests
{
    private const long Day = Durations.MicrosPerDay;

    // Days above MaxChunkRows events each, so a chunk holds one day and the span is the window's days plus one.
    private static readonly (long Day, int Events)[] Filed = [(0, 200_000), (1, 10), (2, 150_000), (5, 140_000)];

    [Test]
    public void NoDaysOrUnboundedWindow_NoReserve()
    {
        Assert.That(BatchComputation.ArenaReserve(Days([]), Day, 10), Is.Zero);
        Assert.That(BatchComputation.ArenaReserve(Days(Filed), long.MaxValue, 10), Is.Zero);
        Assert.That(BatchComputation.ArenaReserve(Days(Filed), 0, 10), Is.Zero);
    }

    /// <summary>
    /// A one-day window spans two days here: days 0 and 1 hold the most (200,010 events); days 2 and 5 lie in other
    /// spans and do not move the reserve, which has room beyond the events themselves.
    /// </summary>
    [Test]
    public void OneDayWindow_TheDensestTwoDays()
    {
        long reserve = BatchComputation.ArenaReserve(Days(Filed), Day, 10);
        Assert.That(reserve, Is.EqualTo(BatchComputation.ArenaReserve(Days([(0, 200_000), (1, 10)]), Day, 10)));
        Assert.That(reserve, Is.GreaterThanOrEqualTo(200_010 + (200_010 / 2)));
        Assert.That(reserve, Is.LessThan(BatchComputation.ArenaReserve(Days([(0, 200_000), (1, 11)]), Day, 10)));
    }

    /// <summary>A three-day window spans four days: days 0 to 2 (350,010 events) now share a span; day 5 still does not.</summary>
    [Test]
    public void ThreeDayWindow_JoinsTheDaysItReaches()
    {
        long reserve = BatchComputation.ArenaReserve(Days(Filed), 3 * Day, 10);
        Assert.That(reserve, Is.EqualTo(BatchComputation.ArenaReserve(Days([(0, 200_000), (1, 10), (2, 150_000)]), 3 * Day, 10)));
        Assert.That(reserve, Is.GreaterThanOrEqualTo(350_010 + (350_010 / 2)));
    }

    /// <summary>A window just short of unbounded (within a day of long.MaxValue) spans every day: all the events.</summary>
    [Test]
    public void WindowNearlyUnbounded_EveryDay()
    {
        long reserve = BatchComputation.ArenaReserve(Days(Filed), long.MaxValue - 1, 10);
        Assert.That(reserve, Is.EqualTo(BatchComputation.ArenaReserve(Days(Filed), 10 * Day, 10)));
        Assert.That(reserve, Is.GreaterThanOrEqualTo(490_010 + (490_010 / 2)));
    }

    /// <summary>
    /// A source read day by day gives its days' counts instead (a day-partitioned table's record counts), in any
    /// order: the same reserve as the same days filed.
    /// </summary>
    [TestCase(1)]
    [TestCase(3)]
    public void FromDayCounts_SameAsTheSameDaysFiled(int windowDays)
    {
        var counts = new Dictionary<long, long>();
        foreach (var (day, events) in Filed.Reverse()) { counts[day] = events; }

        Assert.That(BatchComputation.ArenaReserve(counts, windowDays * Day, 10), Is.EqualTo(BatchComputation.ArenaReserve(Days(Filed), windowDays * Day, 10)));
        Assert.That(BatchComputation.ArenaReserve(new Dictionary<long, long>(), windowDays * Day, 10), Is.Zero);
    }

    // Each day filed as two pieces, as DayFiler files a day that several source chunks hold.
    private static SortedDictionary<long, List<FiledEvents>> Days((long Day, int Events)[] filed)
    {
        var days = new SortedDictionary<long, List<FiledEvents>>();
        foreach (var (day, events) in filed)
        {
            days[day] = [Piece(events / 2), Piece(events - (events / 2))];
        }
        return days;
    }

    private static FiledEvents Piece(int events) => FiledEvents.Pack(new int[events], PackedLongs.Pack(new long[events], events, false), [], 0, [], [], [], narrow: true);
}
