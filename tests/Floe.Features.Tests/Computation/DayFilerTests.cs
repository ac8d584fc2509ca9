using Floe.Core.Expressions.Evaluation;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// Filing batches by day and unpacking each day must give back exactly that day's rows, in arrival order across
/// batches, bit for bit: checked against a plain filter of the batches' rows, with packable and unpackable values,
/// null flags, source columns (the split path) and without (the buffer path), on one and several workers.
/// </summary>
public sealed class DayFilerTests
{
    private const long Jan2024 = 1_704_067_200_000_000L;

    // narrowFrom: events filed before the filer packs narrow (0: from the start; in between: from a later batch).
    [TestCase(1, 1, false, 1, 0L)]
    [TestCase(2, 3, false, 4, long.MaxValue)]
    [TestCase(2, 3, false, 4, 1L)]
    [TestCase(3, 3, true, 2, 1L)]
    [TestCase(4, 1, true, 1, long.MaxValue)]
    [TestCase(8, 4, false, 2, 0L)]
    public void File_RandomBatches_EachDayUnpacksToItsRowsInOrder(int seed, int batches, bool withColumns, int parallelism, long narrowFrom)
    {
        var rnd = new Random(seed);
        var isFloat = new[] { true, false };
        var filer = new DayFiler(isFloat, parallelism, narrowFrom);
        Assert.That(filer.Narrow, Is.EqualTo(narrowFrom == 0));
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
        Assert.That(filer.Narrow, Is.EqualTo(narrowFrom != long.MaxValue));

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
                Same.Sequence(got.Entity.Take(got.Length), rows.Select(r => r.c.Entity[r.i]));
                Same.Sequence(got.Time.Take(got.Length), rows.Select(r => r.c.Time[r.i]));
                for (int s = 0; s < 2; s++)
                {
                    Same.Sequence(got.SlotBits[s].Take(got.Length), rows.Select(r => r.c.SlotBits[s][r.i]), $"slot {s}");
                }
                Same.Sequence(got.SlotValid[0]!.Take(got.Length), rows.Select(r => r.c.SlotValid[0]![r.i]));
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
            Same.Sequence(got.Entity.Take(got.Length), expected.Select(r => r.Entity), $"day {day}");
            Same.Sequence(got.Time.Take(got.Length), expected.Select(r => r.Time));
            Same.Sequence(got.SlotBits[0].Take(got.Length), expected.Select(r => r.Amount));
            Same.Sequence(got.SlotBits[1].Take(got.Length), expected.Select(r => r.Count));
        }
    }

    // Prepare files a batch's times ahead of its encoding; File must use that only for a piece with exactly those
    // times (the same array and length) and otherwise file from scratch: a piece whose times differ in content, a
    // piece over a prefix of the prepared array, and a prepared batch that was never filed (dropped by the filter)
    // followed by another all take the scratch path, and every day must still unpack to its rows.
    [TestCase(11, false, 1)]
    [TestCase(12, false, 2)]
    [TestCase(13, true, 2)]
    public void Prepare_ThenFile_DaysAsWithoutAndStalePreparesIgnored(int seed, bool withColumns, int parallelism)
    {
        var rnd = new Random(seed);
        var prepared = new DayFiler([true, false], parallelism);
        var plain = new DayFiler([true, false], parallelism);
        var days = new SortedDictionary<long, List<FiledEvents>>();
        var expectedDays = new SortedDictionary<long, List<FiledEvents>>();
        var all = new List<EventChunk>();
        for (int b = 0; b < 8; b++)
        {
            var chunk = RandomChunk(rnd, rnd.Next(1, 4000), withColumns, wholeMillis: b % 2 == 0, oneDay: b == 5);
            switch (b % 4)
            {
                case 0:
                    prepared.Prepare(chunk.Time, chunk.Length);
                    break;
                case 1:
                    // Same length, other times: the prepared days would file every event under the wrong day.
                    var other = (long[])chunk.Time.Clone();
                    for (int i = 0; i < other.Length; i++) { other[i] += 86_400_000_000L * (1 + (i % 3)); }
                    prepared.Prepare(other, chunk.Length);
                    break;
                case 2:
                    // A prefix of the prepared array: the same array, another length.
                    var longer = new long[chunk.Length + 10];
                    chunk.Time.CopyTo(longer, 0);
                    for (int i = chunk.Length; i < longer.Length; i++) { longer[i] = Jan2024 + (20 * 86_400_000_000L); }
                    prepared.Prepare(longer, longer.Length);
                    chunk = new EventChunk(chunk.Length, chunk.Columns, chunk.Entity, longer, chunk.SlotBits, chunk.SlotValid);
                    break;
                default:
                    // A prepared batch that is never filed, then this one unprepared.
                    prepared.Prepare(RandomChunk(rnd, chunk.Length, false, wholeMillis: true).Time, chunk.Length);
                    break;
            }
            all.Add(chunk);
            prepared.File(chunk, days);
            plain.File(chunk, expectedDays);
        }
        Assert.That(days.Keys, Is.EqualTo(expectedDays.Keys));
        foreach (var (day, pieces) in days)
        {
            var rows = all.SelectMany(c => Enumerable.Range(0, c.Length).Where(i => Durations.FloorDay(c.Time[i]) == day).Select(i => (c, i))).ToList();
            var got = FiledEvents.Unpack(pieces, parallelism);
            Assert.That(got.Length, Is.EqualTo(rows.Count), $"day {day}");
            Same.Sequence(got.Entity.Take(got.Length), rows.Select(r => r.c.Entity[r.i]));
            Same.Sequence(got.Time.Take(got.Length), rows.Select(r => r.c.Time[r.i]));
            for (int s = 0; s < 2; s++)
            {
                Same.Sequence(got.SlotBits[s].Take(got.Length), rows.Select(r => r.c.SlotBits[s][r.i]), $"slot {s}");
            }
            Same.Sequence(got.SlotValid[0]!.Take(got.Length), rows.Select(r => r.c.SlotValid[0]![r.i]));
        }
        // Batches 0 and 4 were prepared with their own times (and span several days).
        Assert.That(prepared.FiledFromPrepared, Is.EqualTo(2));
    }

    // A prepared batch's times were packed from the time buffer: filing it scatters the first slot's values there,
    // so the filer keeps one 8-byte-a-row buffer fewer than filing the same batch unprepared, and the days still
    // unpack to the same events (also for the unprepared batch filed after it, which needs every buffer again).
    [Test]
    public void Prepare_ThenFile_FirstSlotReusesTheTimeBuffer()
    {
        var rnd = new Random(21);
        var chunk = RandomChunk(rnd, 5000, false, wholeMillis: true);
        var next = RandomChunk(rnd, 4000, false, wholeMillis: false);
        var prepared = new DayFiler([true, false], 2);
        var plain = new DayFiler([true, false], 2);
        var days = new SortedDictionary<long, List<FiledEvents>>();
        var expectedDays = new SortedDictionary<long, List<FiledEvents>>();
        prepared.Prepare(chunk.Time, chunk.Length);
        prepared.File(chunk, days);
        plain.File(chunk, expectedDays);
        Assert.That(prepared.FiledFromPrepared, Is.EqualTo(1));
        Assert.That(prepared.ScratchBytes, Is.EqualTo(plain.ScratchBytes - (chunk.Length * 8L)));
        prepared.File(next, days);
        plain.File(next, expectedDays);
        Assert.That(days.Keys, Is.EqualTo(expectedDays.Keys));
        foreach (var (day, pieces) in days)
        {
            var got = FiledEvents.Unpack(pieces, 2);
            var want = FiledEvents.Unpack(expectedDays[day], 2);
            Assert.That(got.Length, Is.EqualTo(want.Length), $"day {day}");
            Same.Sequence(got.Entity.Take(got.Length), want.Entity.Take(want.Length));
            Same.Sequence(got.Time.Take(got.Length), want.Time.Take(want.Length));
            for (int s = 0; s < 2; s++) { Same.Sequence(got.SlotBits[s].Take(got.Length), want.SlotBits[s].Take(want.Length), $"slot {s}"); }
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
