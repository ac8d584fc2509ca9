using System.Numerics;
using Floe.Features.Tests.Support;
using Floe.Kernels.Aggregates;

namespace Floe.Features.Tests.Kernels;

public sealed class ExactSumTests
{
    private static double RandomDouble(Random rnd) => rnd.Next(6) switch
    {
        0 => Math.Round((rnd.NextDouble() - 0.5) * 1000, 2),
        1 => (rnd.NextDouble() - 0.5) * Math.Pow(2, rnd.Next(-1074, 1000)),
        2 => BitConverter.Int64BitsToDouble(rnd.NextInt64(1, 1L << 52)) * (rnd.Next(2) == 0 ? 1 : -1), // subnormal
        3 => 1e15 + rnd.Next(1000),
        4 => (rnd.NextDouble() - 0.5) * 1e-20,
        _ => rnd.Next(-100, 100),
    };

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Value_SlidingAddRemove_EqualsCorrectlyRoundedExactSum(int seed)
    {
        var rnd = new Random(seed);
        var values = new List<double>();
        var sum = new ExactSum();
        int start = 0;
        // The reference's exact integer total of the window (values in units of 2^-1074), kept up to date by exact
        // adds and subtracts, rounded once per step: the same value as re-adding the window from scratch each step
        // (NaiveReference.ExactSum), which made the test quadratic in the window's length.
        var exact = BigInteger.Zero;
        for (int step = 0; step < 3000; step++)
        {
            if (start < values.Count && rnd.Next(3) == 0)
            {
                exact -= NaiveReference.Scaled(values[start]);
                sum.Remove(values[start++]);
            }
            else
            {
                double v = RandomDouble(rnd);
                if (!double.IsFinite(v)) { continue; }
                values.Add(v);
                exact += NaiveReference.Scaled(v);
                sum.Add(v);
            }
            double expected = NaiveReference.RoundScaled(exact);
            double actual = sum.Value;
            if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual) && !(expected == 0 && actual == 0))
            {
                Assert.Fail($"step {step}: expected {expected:R}, got {actual:R}");
            }
        }
    }

    [Test]
    public void Value_AddThenRemoveEverything_IsExactlyZero()
    {
        var sum = new ExactSum();
        double[] xs = [0.1, 0.2, 0.3, 1e300, -1e-300, 5e-324, 123.45];
        foreach (var x in xs) { sum.Add(x); }
        Assert.That(sum.Value, Is.EqualTo(0.1 + 0.2 + 0.3 + 1e300).Within(1e286));
        foreach (var x in xs) { sum.Remove(x); }
        Assert.That(sum.Value, Is.EqualTo(0.0));
    }

    [Test]
    public void Value_ClassicCancellation_IsExact()
    {
        var sum = new ExactSum();
        sum.Add(1e100);
        sum.Add(1.0);
        sum.Add(-1e100);
        Assert.That(sum.Value, Is.EqualTo(1.0));
    }
}
