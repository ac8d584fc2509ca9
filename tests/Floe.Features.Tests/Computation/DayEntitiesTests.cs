using Floe.Features.Computation;
using Floe.Features.Definitions;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// <see cref="DayEntities"/>: a first pass's entity ids filed under their UTC day of event time, each day's in
/// arrival order, from batches of one day, of a few days, and of days too far apart to count by offset.
/// </summary>
public sealed class DayEntitiesTests
{
    private const long Day = Durations.MicrosPerDay;

    [Test]
    public void Add_BatchesOfOneAndSeveralDays_EachDaysIdsInArrivalOrder()
    {
        var days = new DayEntities();
        days.Add([7, 8, 9], [(3 * Day) + 1, (3 * Day) + 5, (4 * Day) - 1], 3);
        // Longer arrays than the events: only the first n count. Day -1 is before the epoch.
        days.Add([1, 2, 3, 4, 5, 99], [(4 * Day) + 2, (3 * Day) + 9, -1, 4 * Day, (3 * Day) + 7, 0], 5);

        Assert.That(Ids(days), Is.EqualTo(new Dictionary<long, int[]>
        {
            [-1] = [3],
            [3] = [7, 8, 9, 2, 5],
            [4] = [1, 4],
        }));
    }

    [Test]
    public void Add_DaysFarApart_FiledByDay()
    {
        var days = new DayEntities();
        long far = 200_000L * Day;
        days.Add([1, 2, 3, 4], [far + 5, 0, far + 1, Day], 4);

        Assert.That(Ids(days), Is.EqualTo(new Dictionary<long, int[]>
        {
            [0] = [2],
            [1] = [4],
            [200_000] = [1, 3],
        }));
    }

    private static Dictionary<long, int[]> Ids(DayEntities days) =>
        days.Days.ToDictionary(d => d.Key, d => d.Value.SelectMany(piece => piece.ToArray()).ToArray());
}
