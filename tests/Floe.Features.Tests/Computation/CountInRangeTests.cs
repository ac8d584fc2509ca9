using Floe.Features.Computation;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// <see cref="BatchComputation.CountInRange"/>, the count of a batch's times inside a run's range: the same as one
/// unsigned compare per value for every length (whole vectors and a tail), at the range's edges, for an empty range
/// and for values whose difference from the start wraps.
/// </summary>
public sealed class CountInRangeTests
{
    [TestCase(1, 0)]
    [TestCase(2, 3)]
    [TestCase(3, 4)]
    [TestCase(4, 7)]
    [TestCase(5, 9)]
    [TestCase(6, 1001)]
    public void CountInRange_RandomValues_EqualsOneCompareEach(int seed, int length)
    {
        var rnd = new Random(seed);
        for (int round = 0; round < 50; round++)
        {
            long start = rnd.NextInt64(-1_000_000, 1_000_000);
            ulong span = round % 10 == 0 ? 0 : (ulong)rnd.NextInt64(0, 2_000_000);
            var values = new long[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = (i % 7) switch
                {
                    0 => start,
                    1 => start + (long)span,
                    2 => start + (long)span - 1,
                    3 => start - 1,
                    4 => rnd.Next(2) == 0 ? long.MinValue : long.MaxValue,
                    _ => rnd.NextInt64(-3_000_000, 3_000_000),
                };
            }
            int expected = 0;
            foreach (var v in values) { expected += (ulong)(v - start) < span ? 1 : 0; }

            Assert.That(BatchComputation.CountInRange(values, start, span), Is.EqualTo(expected), $"round {round}");
        }
    }
}
