using System.Numerics;
using Floe.Features.Engine;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Kernels;

/// <summary>
/// The window groups' fixed-point sums of doubles: which values they take, that each term is the value × 2^64
/// exactly, and that reading a sum of terms gives the correctly rounded exact sum (BigInteger oracle).
/// </summary>
public sealed class FixedPointSumTests
{
    [TestCase(0.0, true)]
    [TestCase(-0.0, true)]
    [TestCase(123.45, true)]
    [TestCase(-0.1, true)]
    [TestCase(4294967295.75, true)]
    [TestCase(-4294967296.0, false)]
    [TestCase(1e15, false)]
    [TestCase(1e-10, false)]
    [TestCase(double.Epsilon, false)]
    [TestCase(double.NaN, false)]
    [TestCase(double.PositiveInfinity, false)]
    public void TryFixed_TakesMultiplesOf2ToMinus64Below2To32(double value, bool taken)
    {
        bool ok = WindowKernel.TryFixed(BitConverter.DoubleToInt64Bits(value), out var term);
        Assert.That(ok, Is.EqualTo(taken));
        if (ok) { Assert.That((BigInteger)term, Is.EqualTo(Times2To64(value))); }
    }

    [Test]
    public void FixedValue_OfRandomTerms_IsTheCorrectlyRoundedExactSum()
    {
        var rnd = new Random(5);
        for (int round = 0; round < 2000; round++)
        {
            int n = rnd.Next(1, 50);
            var values = new List<double>();
            Int128 sum = 0;
            while (values.Count < n)
            {
                // Magnitudes from 2^-64 to 2^32 with random mantissas, truncated to the fixed grid.
                double v = Math.ScaleB(rnd.NextDouble(), rnd.Next(-40, 33)) * (rnd.Next(2) == 0 ? -1 : 1);
                v = Math.ScaleB(Math.Truncate(Math.ScaleB(v, 64)), -64);
                if (!WindowKernel.TryFixed(BitConverter.DoubleToInt64Bits(v), out var term)) { continue; }
                values.Add(v);
                sum += term;
            }
            double expected = NaiveReference.ExactSum(values);
            Assert.That(BitConverter.DoubleToInt64Bits(WindowKernel.FixedValue(sum)), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"round {round}");
        }
    }

    /// <summary>
    /// Random bit patterns, and values near the range's edges (2^32, 2^-64 steps, subnormals): a value is taken
    /// exactly when it lies on the 2^-64 grid below 2^32 in magnitude, and its term is value × 2^64.
    /// </summary>
    [Test]
    public void TryFixed_RandomBitPatterns_AgreesWithBigIntegerOracle()
    {
        var rnd = new Random(17);
        for (int i = 0; i < 200_000; i++)
        {
            long bits = i % 3 == 0
                ? rnd.NextInt64(long.MinValue, long.MaxValue)
                : BitConverter.DoubleToInt64Bits(Math.ScaleB(rnd.NextDouble() + 1, rnd.Next(-70, 40)) * (rnd.Next(2) == 0 ? -1 : 1));
            if (i % 5 == 0) { bits &= ~((1L << rnd.Next(0, 53)) - 1); }
            double v = BitConverter.Int64BitsToDouble(bits);
            bool expected = double.IsFinite(v) && Math.Abs(v) < 4_294_967_296.0 && (v == 0 || (!double.IsSubnormal(v) && OnGrid(v)));
            bool ok = WindowKernel.TryFixed(bits, out var term);
            // NUnit (a constraint and a message object) only for a difference: 200,000 rounds of it were most of the test.
            if (ok != expected) { Assert.That(ok, Is.EqualTo(expected), $"bits {bits:X16}"); }
            if (ok && (BigInteger)term is var got && got != Times2To64(v)) { Assert.That(got, Is.EqualTo(Times2To64(v)), $"bits {bits:X16}"); }
        }
    }

    /// <summary>
    /// Reading a fixed-point sum: random 128-bit sums of every size, and sums exactly halfway between two doubles
    /// (ties go to even), read as the correctly rounded sum × 2^-64 (BigInteger oracle) and as the runtime's own
    /// Int128 conversion gives it (so results stay what they were).
    /// </summary>
    [Test]
    public void FixedValue_RandomAndHalfwaySums_IsCorrectlyRounded()
    {
        var rnd = new Random(23);
        for (int i = 0; i < 200_000; i++)
        {
            Int128 sum;
            if (i % 4 == 0)
            {
                // A 54-bit odd number shifted left: halfway between two 53-bit doubles, or just off it.
                long odd = (1L << 53) | rnd.NextInt64(0, 1L << 53) | 1;
                sum = (Int128)odd << rnd.Next(0, 70);
                sum += rnd.Next(3) - 1;
            }
            else
            {
                sum = new Int128((ulong)rnd.NextInt64() >> rnd.Next(1, 64), (ulong)rnd.NextInt64() << rnd.Next(0, 2));
                if (i % 7 == 0) { sum = (long)sum; }
            }
            if (rnd.Next(2) == 0) { sum = -sum; }
            double actual = WindowKernel.FixedValue(sum);
            double runtime = (double)sum * Math.ScaleB(1.0, -64);
            // NUnit (a constraint and a message object) only for a difference, as above.
            long bits = BitConverter.DoubleToInt64Bits(actual), runtimeBits = BitConverter.DoubleToInt64Bits(runtime), oracleBits = BitConverter.DoubleToInt64Bits(RoundScaled(sum));
            if (bits != runtimeBits) { Assert.That(bits, Is.EqualTo(runtimeBits), $"sum {sum}"); }
            if (bits != oracleBits) { Assert.That(bits, Is.EqualTo(oracleBits), $"sum {sum}"); }
        }
        foreach (var edge in new[] { Int128.MinValue, Int128.MaxValue, Int128.Zero, Int128.One, Int128.NegativeOne, (Int128)long.MinValue, (Int128)ulong.MaxValue })
        {
            Assert.That(WindowKernel.FixedValue(edge), Is.EqualTo((double)edge * Math.ScaleB(1.0, -64)), $"sum {edge}");
        }
    }

    // Whether v has no bits below 2^-64.
    private static bool OnGrid(double v) => Math.ScaleB(Math.Truncate(Math.ScaleB(v, 64)), -64) == v;

    // sum × 2^-64 rounded to nearest, ties to even: NaiveReference's exact rounding, whose unit is 2^-1074.
    private static double RoundScaled(Int128 sum) => NaiveReference.RoundScaled((BigInteger)sum << (1074 - 64));

    // value × 2^64 as an integer; only called for values on the 2^-64 grid, where the shift loses nothing.
    private static BigInteger Times2To64(double value) => NaiveReference.Scaled(value) >> (1074 - 64);
}
