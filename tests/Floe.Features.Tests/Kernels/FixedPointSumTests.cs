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

    // value × 2^64 as an integer; only called for values on the 2^-64 grid, where the shift loses nothing.
    private static BigInteger Times2To64(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exp == 0) { exp = 1; } else { mant |= 1L << 52; }
        int e = exp - 1075 + 64;
        var v = e >= 0 ? new BigInteger(mant) << e : new BigInteger(mant) >> -e;
        return bits < 0 ? -v : v;
    }
}
