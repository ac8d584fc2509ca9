namespace Floe.Parquet.Tests;

/// <summary>
/// A row's pseudo-random number in [0, 1), a pure function of the key (SplitMix64's finaliser). The writer tests'
/// generators used to seed a <see cref="Random"/> per row (<c>new Random(row).NextDouble()</c>), whose seeding loop
/// (220 steps over a 56-int table, plus the table's allocation) was about a quarter of the whole suite's CPU time.
/// </summary>
internal static class RowNoise
{
    /// <summary>Uniform in [0, 1) with 53 random bits, the same for the same key on every run and machine.</summary>
    public static double Unit(long key)
    {
        var z = (ulong)key + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
