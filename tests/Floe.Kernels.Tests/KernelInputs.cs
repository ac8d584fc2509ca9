namespace Floe.Kernels.Tests;

/// <summary>
/// Inputs for kernel sweeps: every length from 0 to 257 (empty, shorter than any vector, each vector width, and
/// each remainder of the overlapping tail), random values mixed with the values kernels get wrong (NaN, ±0, ±∞,
/// the integer extremes) and many ties so equality is exercised.
/// </summary>
internal static class KernelInputs
{
    public const int MaxLength = 257;

    public static IEnumerable<int> Lengths => Enumerable.Range(0, MaxLength + 1);

    private static readonly double[] SpecialDoubles =
        [double.NaN, 0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue, double.Epsilon, 1.0, -1.0];

    private static readonly long[] SpecialLongs = [0, 1, -1, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1, 2, 3];

    public static double[] Doubles(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(4) switch
            {
                0 => SpecialDoubles[random.Next(SpecialDoubles.Length)],
                1 => random.Next(-3, 4),
                _ => (random.NextDouble() - 0.5) * 1e6,
            };
        }
        return values;
    }

    public static long[] Longs(Random random, int length)
    {
        var values = new long[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(4) switch
            {
                0 => SpecialLongs[random.Next(SpecialLongs.Length)],
                1 => random.Next(-3, 4),
                _ => random.NextInt64(),
            };
        }
        return values;
    }

    public static int[] Ints(Random random, int length)
    {
        var values = new int[length];
        for (int i = 0; i < length; i++) { values[i] = random.Next(3) == 0 ? random.Next(-2, 3) : random.Next(); }
        return values;
    }
}
