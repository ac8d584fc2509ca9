using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Tests.Support;
using NUnit.Framework;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// <see cref="EntityRoomPlan"/> (days counted in parallel, the chunk recurrence over blocks of entities) gives every
/// entity the room the one-thread plan gave (<see cref="EntityRoomsReference"/>), on random runs: gaps between days,
/// empty days, windows shorter than a day and longer than the run, chunks of one day or many, skewed entity ids, the
/// window's days kept or counted again, new days counted one or a few at a time.
/// </summary>
public sealed class EntityRoomPlanTests
{
    private const long Day = Durations.MicrosPerDay;

    [Test]
    public void RandomRuns_SameRoomsAsTheOneThreadPlan([Range(0, 399)] int seed)
    {
        var random = new Random(seed);
        var (days, entities) = RandomDays(random);
        long window = RandomWindow(random);
        int chunkRows = random.Next(4) switch
        {
            0 => BatchComputation.MaxChunkRows,
            1 => 1,
            _ => random.Next(1, 400),
        };
        int parallelism = random.Next(1, 4);
        var expected = EntityRoomsReference.Rooms(days, window, entities, chunkRows);

        Assert.That(BatchComputation.EntityRooms(days, window, entities, chunkRows, parallelism), Is.EqualTo(expected), "ids in memory");
        Assert.That(BatchComputation.EntityRooms(Filed(days, narrow: random.Next(2) == 0), window, entities, chunkRows, parallelism), Is.EqualTo(expected), "filed ids");

        // New days counted one to five at a time, the window's days kept or counted again when they leave it.
        long windowDays = (window + Day - 1) / Day;
        var (dayList, rows, count) = Counted(days);
        int stepDays = random.Next(1, 6);
        foreach (bool keep in new[] { true, false })
        {
            var rooms = EntityRoomPlan.Rooms(dayList, rows, count, windowDays, entities, chunkRows, parallelism, stepDays, keep);
            Assert.That(rooms, Is.EqualTo(expected), $"steps of {stepDays} days, keep {keep}");
        }
    }

    [Test]
    public void ManyEntities_BlocksAndVectorTails()
    {
        var random = new Random(7);
        // More entities than a block holds, not a multiple of a vector, few events each.
        int entities = 5_003;
        var days = new SortedDictionary<long, List<ReadOnlyMemory<int>>>();
        for (long d = 100; d < 130; d += 1 + random.Next(3))
        {
            var ids = new int[random.Next(0, 20_000)];
            for (int i = 0; i < ids.Length; i++) { ids[i] = Skewed(random, entities); }
            days[d] = [ids];
        }
        foreach (int chunkRows in new[] { 1, 30_000, BatchComputation.MaxChunkRows })
        {
            var expected = EntityRoomsReference.Rooms(days, 7 * Day, entities, chunkRows);
            Assert.That(BatchComputation.EntityRooms(days, 7 * Day, entities, chunkRows, 2), Is.EqualTo(expected));
        }
    }

    private static (SortedDictionary<long, List<ReadOnlyMemory<int>>> Days, int Entities) RandomDays(Random random)
    {
        int entities = random.Next(3) == 0 ? random.Next(1, 10) : random.Next(1, 300);
        var days = new SortedDictionary<long, List<ReadOnlyMemory<int>>>();
        int dayCount = random.Next(1, 40);
        long day = 19_000 + random.Next(100);
        for (int d = 0; d < dayCount; d++)
        {
            var pieces = new List<ReadOnlyMemory<int>>();
            int pieceCount = random.Next(4) == 0 ? 0 : random.Next(1, 4);
            for (int p = 0; p < pieceCount; p++)
            {
                var ids = new int[random.Next(3) == 0 ? 0 : random.Next(1, 200)];
                for (int i = 0; i < ids.Length; i++) { ids[i] = Skewed(random, entities); }
                pieces.Add(ids);
            }
            days[day] = pieces;
            // Mostly consecutive days, some gaps, now and then a long one.
            day += random.Next(10) switch
            {
                < 6 => 1,
                < 9 => random.Next(2, 5),
                _ => random.Next(5, 60),
            };
        }
        return (days, entities);
    }

    // Half the events on a few entities.
    private static int Skewed(Random random, int entities) => random.Next(2) == 0 ? random.Next(Math.Min(entities, 3)) : random.Next(entities);

    private static long RandomWindow(Random random) => random.Next(5) switch
    {
        0 => random.NextInt64(1, Day),
        1 => Day * random.Next(1, 10),
        2 => (Day * random.Next(1, 10)) + random.NextInt64(1, Day),
        3 => Day * random.Next(30, 2_000),
        _ => random.NextInt64(1, 40 * Day),
    };

    private static (long[] Days, int[] Rows, EntityRoomPlan.DayCounter Count) Counted(SortedDictionary<long, List<ReadOnlyMemory<int>>> days)
    {
        var dayList = days.Keys.ToArray();
        var pieces = days.Values.ToArray();
        var rows = pieces.Select(list => list.Sum(p => p.Length)).ToArray();
        return (dayList, rows, Count);

        void Count(int d, Span<int> counts)
        {
            foreach (var piece in pieces[d])
            {
                foreach (int e in piece.Span) { counts[e]++; }
            }
        }
    }

    // The same ids filed as the engine files them (packed, narrow or 32 bits).
    private static SortedDictionary<long, List<FiledEvents>> Filed(SortedDictionary<long, List<ReadOnlyMemory<int>>> days, bool narrow)
    {
        var filed = new SortedDictionary<long, List<FiledEvents>>();
        foreach (var (day, pieces) in days)
        {
            filed[day] = [.. pieces.Select(p => FiledEvents.Pack(p.Span, PackedLongs.Pack(new long[p.Length], p.Length, false), [], 0, [], [], [], narrow))];
        }
        return filed;
    }
}
