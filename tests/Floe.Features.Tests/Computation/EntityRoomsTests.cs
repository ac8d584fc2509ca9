using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using NUnit.Framework;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// <see cref="BatchComputation.EntityRooms"/>: each entity's region holds all its events when they are at most half as
/// many again as the most it holds when a chunk is appended (its new events and what it kept after its last event),
/// else that most and a quarter.
/// </summary>
public sealed class EntityRoomsTests
{
    private const long Day = Durations.MicrosPerDay;

    [Test]
    public void UnboundedOrNoWindow_NoPlan()
    {
        var days = Filed((0, [0, 0]));
        Assert.That(BatchComputation.EntityRooms(days, long.MaxValue, 1), Is.Null);
        Assert.That(BatchComputation.EntityRooms(days, 0, 1), Is.Null);
        Assert.That(BatchComputation.EntityRooms(Filed(), Day, 1), Is.Null);
    }

    /// <summary>
    /// A one-day window, each day its own chunk (chunks of one row). Entity 0 has 5 events on each of 10 days: it holds
    /// at most its previous two days' 10 and 5 new ones, so 15 and a quarter (18), its 50 being more than half again.
    /// Entity 1 has 4 events on day 0 and 4 on day 9: quiet in between, it still holds day 0's when day 9's come (8, all its events).
    /// Entity 2 has one event, entity 3 none.
    /// </summary>
    [Test]
    public void OneDayChunks_RecentDaysOrAllEventsPerEntity()
    {
        var perDay = new List<(long, int[])>();
        for (int d = 0; d < 10; d++)
        {
            var ids = new List<int> { 0, 0, 0, 0, 0 };
            if (d is 0 or 9) { ids.AddRange([1, 1, 1, 1]); }
            if (d == 3) { ids.Add(2); }
            perDay.Add((d, [.. ids]));
        }
        var rooms = BatchComputation.EntityRooms(Filed([.. perDay]), Day, 4, chunkRows: 1);
        Assert.That(rooms, Is.EqualTo(new[] { 18, 8, 1, 0 }));
    }

    /// <summary>
    /// The same entity 0 in chunks of two days (10 rows): a chunk appends 10 after the previous window's 10, so 20 and
    /// a quarter. A window as long as the run: all 50, never moved.
    /// </summary>
    [Test]
    public void TwoDayChunksAndALongWindow()
    {
        var perDay = new List<(long, int[])>();
        for (int d = 0; d < 10; d++) { perDay.Add((d, [0, 0, 0, 0, 0])); }
        Assert.That(BatchComputation.EntityRooms(Filed([.. perDay]), Day, 1, chunkRows: 10), Is.EqualTo(new[] { 25 }));
        Assert.That(BatchComputation.EntityRooms(Filed([.. perDay]), 10 * Day, 1, chunkRows: 1), Is.EqualTo(new[] { 50 }));
    }

    // Each day filed as two pieces, as DayFiler files a day that several source chunks hold.
    private static SortedDictionary<long, List<FiledEvents>> Filed(params (long Day, int[] Entities)[] filed)
    {
        var days = new SortedDictionary<long, List<FiledEvents>>();
        foreach (var (day, entities) in filed)
        {
            int half = entities.Length / 2;
            days[day] = [Piece(entities[..half]), Piece(entities[half..])];
        }
        return days;
    }

    private static FiledEvents Piece(int[] entities) => FiledEvents.Pack(entities, PackedLongs.Pack(new long[entities.Length], entities.Length, false), [], 0, [], [], [], narrow: true);
}
