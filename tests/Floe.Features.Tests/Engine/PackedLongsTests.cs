using Floe.Features.Engine;

namespace Floe.Features.Tests.Engine;

/// <summary>
/// Filed events are packed to at most 32 bits a value (the width of their largest distance) only when unpacking gives
/// back every bit: times that are whole seconds or milliseconds within a day or ascending in small gaps, short
/// decimals; anything else (shuffled microsecond days, -0.0, NaN, long decimals, values past the Int32 range) must
/// stay 8 bytes and still round-trip.
/// </summary>
public sealed class PackedLongsTests
{
    private const long Day = 86_400_000_000L;
    private static readonly long Jan2024 = 1_704_067_200_000_000L;

    [TestCase(1_000_000, true)]
    [TestCase(1000, true)]
    [TestCase(1, false)]
    public void Times_OfOneDay_PackWhenWholeMillisecondsOrSeconds(long unit, bool packs)
    {
        var rnd = new Random(7);
        var times = new long[10_000];
        for (int i = 0; i < times.Length; i++) { times[i] = Jan2024 + (rnd.NextInt64(Day) / unit * unit); }
        times[3] = Jan2024 + Day - unit; // the day's last instant
        AssertRoundTrip(times, false, packs);
    }

    [Test]
    public void MicrosecondTimes_InOrder_PackAsGaps_OutOfOrderOrWideGaps_DoNot()
    {
        var rnd = new Random(11);
        var times = new long[10_000];
        for (int i = 0; i < times.Length; i++) { times[i] = Jan2024 + rnd.NextInt64(Day); }
        AssertRoundTrip(times, false, false);
        Array.Sort(times);
        times[5] = times[4]; // equal times are a gap of zero
        AssertRoundTrip(times, false, true);
        var wide = (long[])times.Clone();
        for (int i = 5_000; i < wide.Length; i++) { wide[i] += 1L << 32; }
        AssertRoundTrip(wide, false, false);
        var backwards = (long[])times.Clone();
        (backwards[100], backwards[101]) = (backwards[101] + 1, backwards[100]);
        AssertRoundTrip(backwards, false, false);
        AssertRoundTrip([long.MinValue, long.MinValue + uint.MaxValue, long.MaxValue - uint.MaxValue, long.MaxValue], false, false);
    }

    [Test]
    public void Integers_WithinInt32Range_Pack_AndExtremes_DoNot()
    {
        AssertRoundTrip([5, -3, 0, int.MaxValue, long.MinValue / 2 + 1 - long.MinValue / 2], false, true);
        AssertRoundTrip([long.MinValue, long.MaxValue, 0, 1], false, false);
        AssertRoundTrip([long.MinValue, long.MinValue + 1_000_000 * 4_000_000_000L], false, true);
    }

    [TestCase(2)]
    [TestCase(0)]
    [TestCase(4)]
    public void Decimals_Pack(int digits)
    {
        var rnd = new Random(digits);
        var values = new long[5000];
        for (int i = 0; i < values.Length; i++) { values[i] = BitConverter.DoubleToInt64Bits(Math.Round((rnd.NextDouble() - 0.3) * 500, digits) + 0.0); } // + 0.0: no -0.0
        AssertRoundTrip(values, true, true);
    }

    [Test]
    public void Decimals_NeedingMoreDigitsLater_AreRescaled()
    {
        AssertRoundTrip(Bits(1, 2, 3.5, 4.25, 7, 0.001, 12.5), true, true);
    }

    [TestCase(-0.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(0.1 + 0.2)]
    [TestCase(1e-7)]
    [TestCase(3e9)]
    [TestCase(214748.3648)]
    public void Doubles_ThatAreNotShortDecimals_StayWhole(double odd)
    {
        AssertRoundTrip(Bits(1.5, 2.25, odd, 3), true, false);
    }

    [Test]
    public void Rescaling_PastInt32_FallsBackToWhole()
    {
        // 200,000,000 fits at 0 decimals, not at 2 (which 0.25 needs).
        AssertRoundTrip(Bits(200_000_000, 1, 0.25), true, false);
    }

    [Test]
    public void EveryWidth_RoundTrips_AtTheWidthOfTheLargestDistance()
    {
        var rnd = new Random(23);
        for (int width = 0; width <= 32; width++)
        {
            // Lengths around word boundaries, the largest distance present, so the width is exactly `width`.
            foreach (int n in new[] { 2, 3, 63, 64, 65, 1000 })
            {
                long max = width == 0 ? 0 : (long)(ulong.MaxValue >> (64 - width));
                var values = new long[n];
                for (int i = 0; i < n; i++) { values[i] = -77 + (max == 0 ? 0 : rnd.NextInt64(max + 1)); }
                values[0] = -77 + max;
                values[n - 1] = -77;
                var packed = AssertRoundTrip(values, false, true);
                Assert.That(packed.BitsPerValue, Is.EqualTo(width), $"n {n}");
            }
        }
    }

    [Test]
    public void Widths_AreThoseOfTheRange_GapsAndDecimals()
    {
        // Amounts of 0.00 to 209.00: 20,900 cents, 15 bits.
        var amounts = Bits(0, 12.34, 209, 100.5, 0.01);
        Assert.That(AssertRoundTrip(amounts, true, true).BitsPerValue, Is.EqualTo(15));
        // Negative decimals: the distance from the smallest k (-5.5 -> 55 tenths to 12.5 -> 125 tenths: 180, 8 bits).
        Assert.That(AssertRoundTrip(Bits(-5.5, 12.5, 0), true, true).BitsPerValue, Is.EqualTo(8));
        // Ascending microsecond times spanning over 2^32 µs, so kept as gaps: the widest, 2^20 - 1, needs 20 bits.
        var times = new long[30_000];
        times[0] = Jan2024;
        for (int i = 1; i < times.Length; i++) { times[i] = times[i - 1] + (i % 7 == 0 ? (1 << 20) - 1 : 60_013); }
        Assert.That(times[^1] - times[0], Is.GreaterThan(uint.MaxValue));
        Assert.That(AssertRoundTrip(times, false, true).BitsPerValue, Is.EqualTo(20));
    }

    private static long[] Bits(params double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);

    // Packs narrow and wide: both give back every bit, wide in 32 bits a value where narrow packs at all.
    private static PackedLongs AssertRoundTrip(long[] values, bool isDouble, bool packs)
    {
        var wide = PackedLongs.Pack(values, values.Length, isDouble, narrow: false);
        Assert.That(Unpacked(wide, values.Length), Is.EqualTo(values), "wide");
        Assert.That(wide.BitsPerValue, Is.EqualTo(packs ? 32 : 64));
        var packed = PackedLongs.Pack(values, values.Length, isDouble);
        Assert.That(Unpacked(packed, values.Length), Is.EqualTo(values), "narrow");
        if (packs)
        {
            Assert.That(packed.BitsPerValue, Is.LessThanOrEqualTo(32));
            Assert.That(packed.Bytes, Is.LessThanOrEqualTo(((values.Length * (long)packed.BitsPerValue) + 63) / 64 * 8 + 16));
        }
        else
        {
            Assert.That(packed.BitsPerValue, Is.EqualTo(64));
            Assert.That(packed.Bytes, Is.EqualTo(values.Length * 8L));
        }
        return packed;
    }

    private static long[] Unpacked(PackedLongs packed, int n)
    {
        var back = new long[n + 2];
        back[^1] = 42;
        packed.UnpackTo(back);
        Assert.That(back[^1], Is.EqualTo(42), "writes past the values");
        return back[..n];
    }
}
