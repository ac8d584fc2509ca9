using Floe.Features.Definitions;

namespace Floe.Features.Tests.Definitions;

/// <summary>
/// <see cref="Durations.DayRange"/>: the UTC days of the earliest and latest of a span of microsecond times, in any
/// order, of any length (the vector scan's whole blocks, its tail, and spans shorter than one vector), before and
/// after the epoch. <see cref="Durations.CeilingDays"/>: a window's whole days, up to long.MaxValue without overflow.
/// </summary>
public sealed class DurationsTests
{
    [TestCase(1, 1)]
    [TestCase(2, 3)]
    [TestCase(3, 63)]
    [TestCase(4, 64)]
    [TestCase(5, 65)]
    [TestCase(6, 1000)]
    [TestCase(7, 4099)]
    public void DayRange_RandomTimes_DaysOfTheLeastAndGreatest(int seed, int length)
    {
        var rnd = new Random(seed);
        var times = new long[length];
        for (int i = 0; i < length; i++)
        {
            // ±60 years around the epoch, so some spans cross it.
            times[i] = rnd.NextInt64(-60L * 365 * Durations.MicrosPerDay, 60L * 365 * Durations.MicrosPerDay);
        }
        long least = long.MaxValue, greatest = long.MinValue;
        foreach (var t in times)
        {
            least = Math.Min(least, t);
            greatest = Math.Max(greatest, t);
        }

        var (first, last) = Durations.DayRange(times);

        Assert.That(first, Is.EqualTo(Durations.FloorDay(least)));
        Assert.That(last, Is.EqualTo(Durations.FloorDay(greatest)));
        Assert.That(first, Is.LessThanOrEqualTo(last));
    }

    [Test]
    public void DayRange_ExtremesAtEitherEnd_Found()
    {
        var times = new long[200];
        Array.Fill(times, 10 * Durations.MicrosPerDay);
        times[0] = -3 * Durations.MicrosPerDay - 1;
        times[^1] = 40 * Durations.MicrosPerDay;

        Assert.That(Durations.DayRange(times), Is.EqualTo((-4L, 40L)));
        Assert.That(Durations.DayRange(times.AsSpan(1, 198)), Is.EqualTo((10L, 10L)));
        Assert.That(Durations.DayRange(ReadOnlySpan<long>.Empty), Is.EqualTo((long.MaxValue, long.MinValue)));
    }

    [TestCase(0L, 0L)]
    [TestCase(1L, 1L)]
    [TestCase(Durations.MicrosPerDay, 1L)]
    [TestCase(Durations.MicrosPerDay + 1, 2L)]
    [TestCase(7 * Durations.MicrosPerDay, 7L)]
    [TestCase(long.MaxValue - 1, (long.MaxValue / Durations.MicrosPerDay) + 1)]
    [TestCase(long.MaxValue, (long.MaxValue / Durations.MicrosPerDay) + 1)]
    public void CeilingDays_PartDaysCountWhole(long micros, long days) => Assert.That(Durations.CeilingDays(micros), Is.EqualTo(days));
}
