using Floe.Kernels.Aggregates;

namespace Floe.Kernels.Tests;

/// <summary>
/// <see cref="MaskedSum"/> and <see cref="MaskedMinMax"/> against a row-at-a-time reference, at every length 0–300,
/// with no mask, all-set, empty, sparse and dense masks (so whole, mixed and empty 64-row words all occur), extreme
/// integers (exact 128-bit sums) and doubles with NaN and infinities.
/// </summary>
public sealed class MaskedAggregateTests
{
    private static ulong[]? Mask(Random random, int n, int kind)
    {
        if (kind == 0) return null;
        var words = new ulong[(n + 63) >> 6];
        for (var i = 0; i < n; i++)
        {
            var set = kind switch { 1 => true, 2 => false, 3 => random.Next(10) == 0, _ => random.Next(10) != 0 };
            if (set) words[i >> 6] |= 1UL << (i & 63);
        }
        return words;
    }

    private static bool Selected(ulong[]? mask, int i) => mask is null || ((mask[i >> 6] >> (i & 63)) & 1UL) != 0;

    [Test]
    public void Sum_Longs_IsExactAtEveryLengthAndMask()
    {
        var random = new Random(1);
        for (var n = 0; n <= 300; n++)
        {
            var values = new long[n];
            for (var i = 0; i < n; i++) values[i] = random.Next(4) == 0 ? (random.Next(2) == 0 ? long.MaxValue : long.MinValue) : random.NextInt64(long.MinValue, long.MaxValue);
            for (var kind = 0; kind < 5; kind++)
            {
                var mask = Mask(random, n, kind);
                Int128 expected = 0;
                for (var i = 0; i < n; i++) if (Selected(mask, i)) expected += values[i];
                Assert.That(MaskedSum.Sum(values, mask), Is.EqualTo(expected), $"n={n} mask={kind}");
            }
        }
    }

    [Test]
    public void Sum_Ints_IsExactAtEveryLengthAndMask()
    {
        var random = new Random(2);
        for (var n = 0; n <= 300; n++)
        {
            var values = new int[n];
            for (var i = 0; i < n; i++) values[i] = random.Next(3) == 0 ? int.MinValue : random.Next(int.MinValue, int.MaxValue);
            for (var kind = 0; kind < 5; kind++)
            {
                var mask = Mask(random, n, kind);
                Int128 expected = 0;
                for (var i = 0; i < n; i++) if (Selected(mask, i)) expected += values[i];
                Assert.That(MaskedSum.Sum(values, mask), Is.EqualTo(expected), $"n={n} mask={kind}");
            }
        }
    }

    [Test]
    public void Sum_Doubles_MatchesTheExactSumWithinRounding()
    {
        var random = new Random(3);
        for (var n = 0; n <= 300; n++)
        {
            var values = new double[n];
            for (var i = 0; i < n; i++) values[i] = (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-3, 9));
            for (var kind = 0; kind < 5; kind++)
            {
                var mask = Mask(random, n, kind);
                var exact = new ExactSum();
                for (var i = 0; i < n; i++) if (Selected(mask, i)) exact.Add(values[i]);
                var sum = new DoubleSum();
                MaskedSum.Add(values, mask, ref sum);
                Assert.That(sum.Value, Is.EqualTo(exact.Value).Within(4 * (Math.BitIncrement(Math.Abs(exact.Value)) - Math.Abs(exact.Value)) + 1e-300), $"n={n} mask={kind}");
            }
        }
    }

    [TestCase(double.NaN, double.NaN)]
    [TestCase(double.PositiveInfinity, double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity, double.NegativeInfinity)]
    public void Sum_Doubles_NonFiniteFollowsIeee(double special, double expected)
    {
        foreach (var n in new[] { 3, 64, 130 })
        {
            var values = Enumerable.Range(0, n).Select(i => i * 0.5).ToArray();
            values[n / 2] = special;
            var sum = new DoubleSum();
            MaskedSum.Add(values, null, ref sum);
            Assert.That(sum.Value, Is.EqualTo(expected), $"n={n}");
        }
        var both = new DoubleSum();
        MaskedSum.Add(new[] { double.PositiveInfinity, 1, double.NegativeInfinity, 2, 3 }, null, ref both);
        Assert.That(double.IsNaN(both.Value), Is.True);
    }

    [Test]
    public void MinMax_MatchesReference_NaNKeptApart()
    {
        var random = new Random(4);
        for (var n = 0; n <= 300; n++)
        {
            var doubles = new double[n];
            var longs = new long[n];
            var ints = new int[n];
            var floats = new float[n];
            for (var i = 0; i < n; i++)
            {
                doubles[i] = random.Next(30) == 0 ? double.NaN : random.Next(40) == 0 ? double.NegativeInfinity : random.NextDouble() * 1000 - 500;
                floats[i] = (float)doubles[i];
                longs[i] = random.NextInt64(long.MinValue, long.MaxValue);
                ints[i] = random.Next(int.MinValue, int.MaxValue);
            }
            for (var kind = 0; kind < 5; kind++)
            {
                var mask = Mask(random, n, kind);
                Check(doubles, mask, $"double n={n} mask={kind}");
                Check(floats, mask, $"float n={n} mask={kind}");
                Check(longs, mask, $"long n={n} mask={kind}");
                Check(ints, mask, $"int n={n} mask={kind}");
            }
        }
    }

    private static void Check<T>(T[] values, ulong[]? mask, string what)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        var any = false;
        var nan = false;
        T min = default, max = default;
        for (var i = 0; i < values.Length; i++)
        {
            if (!Selected(mask, i)) continue;
            if (T.IsNaN(values[i]))
            {
                nan = true;
                continue;
            }
            if (!any || values[i] < min) min = values[i];
            if (!any || values[i] > max) max = values[i];
            any = true;
        }
        var found = MaskedMinMax.Find<T>(values, mask, out var actualMin, out var actualMax, out var sawNaN);
        Assert.That(found, Is.EqualTo(any), what);
        Assert.That(sawNaN, Is.EqualTo(nan), what);
        if (!any) return;
        Assert.That(actualMin, Is.EqualTo(min), what);
        Assert.That(actualMax, Is.EqualTo(max), what);
    }

    [Test]
    public void ShortMask_Throws()
    {
        Assert.That(() => MaskedSum.Sum(new long[65], new ulong[1]), Throws.ArgumentException);
        Assert.That(() => MaskedMinMax.Find<int>(new int[65], new ulong[1], out _, out _, out _), Throws.ArgumentException);
    }
}
