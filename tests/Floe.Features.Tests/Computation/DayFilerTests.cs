using Floe.Core.Expressions.Evaluation;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// Filing batches by day and unpacking each day must give back exactly that day's rows, in arrival order across
/// batches, bit for bit: checked against a plain filter of the batches' rows, with packable and unpackable values,
/// null flags, source columns (the split path) and without (the buffer path), on one and several workers.
/// </summary>
public sealed class DayFilerTests
{
    private const long Jan2024 = 1_704_067_200_000_000L;

    [TestCase(1, 1, false, 1)]
    [TestCase(2, 3, false, 4)]
    [TestCase(3, 3, true, 2)]
    [TestCase(4, 1, true, 1)]
    public void File_RandomBatches_EachDayUnpacksToItsRowsInOrder(int seed, int batches, bool withColumns, int parallelism)
    {
        var rnd = new Random(seed);
        var isFloat = new[] { true, false };
        var filer = new DayFiler(isFloat, parallelism);
        var days = new SortedDictionary<long, List<FiledEvents>>();
        var all = new List<EventChunk>();
        for (int b = 0; b < batches; b++)
        {
            var chunk = RandomChunk(rnd, rnd.Next(1, 5000), withColumns, wholeMillis: b % 2 == 0);
            all.Add(chunk);
            filer.File(chunk, days);
        }
        // A batch of one day goes through the one-day path.
        var single = RandomChunk(rnd, 300, withColumns, wholeMillis: true, oneDay: true);
        all.Add(single);
        filer.File(single, days);

        var expectedDays = all.SelectMany(c => Enumerable.Range(0, c.Length).Select(i => Durations.FloorDay(c.Time[i]))).Distinct().Order().ToList();
        Assert.That(days.Keys, Is.EqualTo(expectedDays));
        var arrays = new ChunkArrays();
        foreach (var (day, pieces) in days)
        {
            var rows = all.SelectMany(c => Enumerable.Range(0, c.Length).Where(i => Durations.FloorDay(c.Time[i]) == day).Select(i => (c, i))).ToList();
            // Twice, the second time into arrays recycled from the first.
            for (int round = 0; round < 2; round++)
            {
                var got = FiledEvents.Unpack(pieces, parallelism, arrays);
                Assert.That(got.Length, Is.EqualTo(rows.Count));
                Assert.That(got.Entity.Take(got.Length), Is.EqualTo(rows.Select(r => r.c.Entity[r.i])));
                Assert.That(got.Time.Take(got.Length), Is.EqualTo(rows.Select(r => r.c.Time[r.i])));
                for (int s = 0; s < 2; s++)
                {
                    Assert.That(got.SlotBits[s].Take(got.Length), Is.EqualTo(rows.Select(r => r.c.SlotBits[s][r.i])), $"slot {s}");
                }
                Assert.That(got.SlotValid[0]!.Take(got.Length), Is.EqualTo(rows.Select(r => r.c.SlotValid[0]![r.i])));
                Assert.That(got.SlotValid[1], Is.Null);
                if (withColumns)
                {
                    var column = got.Columns["tag"];
                    Assert.That(Enumerable.Range(0, got.Length).Select(i => column.Longs![i]), Is.EqualTo(rows.Select(r => r.c.Columns["tag"].Longs![r.i])));
                }
                got.Recycle(arrays);
            }
        }
    }

    // Recycled arrays go back to the encoder and are overwritten by the next batch: the filed days must not share
    // them. One-day batches with values that do not pack keep their own (exact-length) arrays; longer arrays, as a
    // rented one is, are copied or packed and can be recycled; several days are always scattered.
    [TestCase(5, false, false)]
    [TestCase(6, true, false)]
    [TestCase(7, true, true)]
    public void File_WithRecycling_FiledDaysSurviveTheReuseOfRecycledArrays(int seed, bool oneDay, bool longerArrays)
    {
        var rnd = new Random(seed);
        var filer = new DayFiler([true, false], 2);
        var days = new SortedDictionary<long, List<FiledEvents>>();
        var recycle = new ChunkArrays();
        var rows = new List<(int Entity, long Time, long Amount, long Count)>();
        for (int b = 0; b < 6; b++)
        {
            var chunk = RandomChunk(rnd, rnd.Next(100, 3000), false, wholeMillis: b % 2 == 0, oneDay: oneDay);
            if (longerArrays) { chunk = Lengthened(chunk); }
            for (int i = 0; i < chunk.Length; i++) { rows.Add((chunk.Entity[i], chunk.Time[i], chunk.SlotBits[0][i], chunk.SlotBits[1][i])); }
            filer.File(chunk, days, recycle);
            // Whatever came back is the next batch's to overwrite.
            for (int k = 0; k < 4; k++)
            {
                var ints = recycle.Ints.Rent(1);
                var longs = recycle.Longs.Rent(1);
                ints.AsSpan().Fill(-7);
                longs.AsSpan().Fill(-7);
            }
        }
        foreach (var (day, pieces) in days)
        {
            var expected = rows.Where(r => Durations.FloorDay(r.Time) == day).ToList();
            var got = FiledEvents.Unpack(pieces);
            Assert.That(got.Entity.Take(got.Length), Is.EqualTo(expected.Select(r => r.Entity)), $"day {day}");
            Assert.That(got.Time.Take(got.Length), Is.EqualTo(expected.Select(r => r.Time)));
            Assert.That(got.SlotBits[0].Take(got.Length), Is.EqualTo(expected.Select(r => r.Amount)));
            Assert.That(got.SlotBits[1].Take(got.Length), Is.EqualTo(expected.Select(r => r.Count)));
        }
    }

    // The same events in arrays longer than the chunk (as rented arrays are).
    private static EventChunk Lengthened(EventChunk c)
    {
        static T[] Longer<T>(T[] a) => [.. a, .. new T[a.Length / 16 + 1]];
        return new EventChunk(c.Length, c.Columns, Longer(c.Entity), Longer(c.Time), [Longer(c.SlotBits[0]), Longer(c.SlotBits[1])], c.SlotValid);
    }

    private static EventChunk RandomChunk(Random rnd, int n, bool withColumns, bool wholeMillis, bool oneDay = false)
    {
        var entity = new int[n];
        var time = new long[n];
        var amount = new long[n];
        var present = new bool[n];
        var count = new long[n];
        var tag = new long[n];
        for (int i = 0; i < n; i++)
        {
            entity[i] = rnd.Next(50);
            long t = oneDay ? Jan2024 + rnd.NextInt64(86_400_000_000L) : Jan2024 + rnd.NextInt64(-3 * 86_400_000_000L, 9 * 86_400_000_000L);
            time[i] = wholeMillis ? t / 1000 * 1000 : t;
            // Short decimals pack; a few long ones force the raw form for their day.
            double v = rnd.Next(8) == 0 ? rnd.NextDouble() : Math.Round(rnd.NextDouble() * 1000, 2);
            amount[i] = BitConverter.DoubleToInt64Bits(v);
            present[i] = rnd.Next(5) != 0;
            count[i] = rnd.Next(3) == 0 ? rnd.NextInt64() : rnd.Next(100);
            tag[i] = i;
        }
        var columns = new Dictionary<string, ValueVector>(StringComparer.Ordinal);
        if (withColumns) { columns["tag"] = ValueVector.FromLongs(ValueKind.Int64, tag, null, n); }
        return new EventChunk(n, columns, entity, time, [amount, count], [present, null]);
    }
}
