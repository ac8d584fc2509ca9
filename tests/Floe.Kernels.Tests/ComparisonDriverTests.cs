using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Tests;

/// <summary>Each comparison kernel, as flags and as bitmaps, against C#'s own operators at every length 0–257.</summary>
public sealed class ComparisonDriverTests
{
    private static readonly (string Name, Func<double, double, bool> Reference)[] DoubleOps =
    [
        ("=", (a, b) => a == b), ("!=", (a, b) => a != b), ("<", (a, b) => a < b),
        ("<=", (a, b) => a <= b), (">", (a, b) => a > b), (">=", (a, b) => a >= b),
    ];

    private static readonly (string Name, Func<long, long, bool> Reference)[] LongOps =
    [
        ("=", (a, b) => a == b), ("!=", (a, b) => a != b), ("<", (a, b) => a < b),
        ("<=", (a, b) => a <= b), (">", (a, b) => a > b), (">=", (a, b) => a >= b),
    ];

    [Test]
    public void DoubleFlags_MatchIeeeScalarComparisons_AtEveryLength()
    {
        var random = new Random(21);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Doubles(random, n);
            var y = KernelInputs.Doubles(random, n);
            foreach (var (name, reference) in DoubleOps)
            {
                var flags = new long[n];
                Flags(name, x, y, flags);
                for (int i = 0; i < n; i++) { if (!Equals(flags[i], reference(x[i], y[i]) ? 1 : 0)) Assert.That(flags[i], Is.EqualTo(reference(x[i], y[i]) ? 1 : 0), $"{x[i]} {name} {y[i]}, n={n}, i={i}"); }
                double constant = y.Length > 0 ? y[0] : double.NaN;
                FlagsScalar(name, x, constant, flags);
                for (int i = 0; i < n; i++) { if (!Equals(flags[i], reference(x[i], constant) ? 1 : 0)) Assert.That(flags[i], Is.EqualTo(reference(x[i], constant) ? 1 : 0), $"{x[i]} {name} {constant}, n={n}, i={i}"); }
            }
        }
    }

    [Test]
    public void LongFlags_MatchScalarComparisons_AtEveryLength()
    {
        var random = new Random(22);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Longs(random, n);
            var y = KernelInputs.Longs(random, n);
            foreach (var (name, reference) in LongOps)
            {
                var flags = new long[n];
                Flags(name, x, y, flags);
                for (int i = 0; i < n; i++) { if (!Equals(flags[i], reference(x[i], y[i]) ? 1 : 0)) Assert.That(flags[i], Is.EqualTo(reference(x[i], y[i]) ? 1 : 0), $"{x[i]} {name} {y[i]}, n={n}, i={i}"); }
            }
        }
    }

    [Test]
    public void Bitmaps_MatchScalarComparisons_ForEveryWidthAndLength()
    {
        var random = new Random(23);
        foreach (int n in KernelInputs.Lengths)
        {
            var d = KernelInputs.Doubles(random, n);
            var l = KernelInputs.Longs(random, n);
            var s = KernelInputs.Ints(random, n);
            double dc = n > 0 ? d[random.Next(n)] : 0;
            long lc = n > 0 ? l[random.Next(n)] : 0;
            int sc = n > 0 ? s[random.Next(n)] : 0;
            // Garbage in the bitmap first: the kernel must set every bit it owns and clear the tail.
            var bits = Enumerable.Repeat(ulong.MaxValue, (n + 63) / 64).ToArray();
            ComparisonDriver.ToBitmap<double, LessThanOperator<double>>(d, dc, bits);
            AssertBits(bits, n, i => d[i] < dc, $"double <, n={n}");
            Array.Fill(bits, ulong.MaxValue);
            ComparisonDriver.ToBitmap<long, GreaterThanOrEqualOperator<long>>(l, lc, bits);
            AssertBits(bits, n, i => l[i] >= lc, $"long >=, n={n}");
            Array.Fill(bits, ulong.MaxValue);
            ComparisonDriver.ToBitmap<int, EqualOperator<int>>(s, sc, bits);
            AssertBits(bits, n, i => s[i] == sc, $"int =, n={n}");
            Array.Fill(bits, ulong.MaxValue);
            ComparisonDriver.ToBitmap<double, NotEqualOperator<double>>(d, double.NaN, bits);
            AssertBits(bits, n, i => true, $"double != NaN, n={n}");
        }
    }

    [Test]
    public void Flags_RefuseElementTypesNarrowerThanAFlag()
    {
        Assert.Throws<ArgumentException>(() => ComparisonDriver.ToFlags<int, EqualOperator<int>>(new int[4], new int[4], new long[4]));
        Assert.Throws<ArgumentException>(() => ComparisonDriver.ToFlags<long, EqualOperator<long>>(new long[4], new long[4], new long[3]));
        Assert.Throws<ArgumentException>(() => ComparisonDriver.ToBitmap<long, EqualOperator<long>>(new long[65], 0, new ulong[1]));
    }

    private static void AssertBits(ulong[] bits, int n, Func<int, bool> expected, string what)
    {
        for (int i = 0; i < bits.Length * 64; i++)
        {
            bool bit = (bits[i >> 6] & (1UL << (i & 63))) != 0;
            if (!Equals(bit, i < n && expected(i))) Assert.That(bit, Is.EqualTo(i < n && expected(i)), $"{what}, bit {i}");
        }
    }

    private static void Flags<T>(string op, T[] x, T[] y, long[] flags)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        switch (op)
        {
            case "=": ComparisonDriver.ToFlags<T, EqualOperator<T>>(x, y, flags); break;
            case "!=": ComparisonDriver.ToFlags<T, NotEqualOperator<T>>(x, y, flags); break;
            case "<": ComparisonDriver.ToFlags<T, LessThanOperator<T>>(x, y, flags); break;
            case "<=": ComparisonDriver.ToFlags<T, LessThanOrEqualOperator<T>>(x, y, flags); break;
            case ">": ComparisonDriver.ToFlags<T, GreaterThanOperator<T>>(x, y, flags); break;
            default: ComparisonDriver.ToFlags<T, GreaterThanOrEqualOperator<T>>(x, y, flags); break;
        }
    }

    private static void FlagsScalar<T>(string op, T[] x, T y, long[] flags)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        switch (op)
        {
            case "=": Scalar<T, EqualOperator<T>>(x, y, flags); break;
            case "!=": Scalar<T, NotEqualOperator<T>>(x, y, flags); break;
            case "<": Scalar<T, LessThanOperator<T>>(x, y, flags); break;
            case "<=": Scalar<T, LessThanOrEqualOperator<T>>(x, y, flags); break;
            case ">": Scalar<T, GreaterThanOperator<T>>(x, y, flags); break;
            default: Scalar<T, GreaterThanOrEqualOperator<T>>(x, y, flags); break;
        }
    }

    private static void Scalar<T, TOp>(T[] x, T y, long[] flags)
        where T : unmanaged
        where TOp : IComparisonOperator<T> => ComparisonDriver.ToFlags<T, TOp>(x, y, flags);
}
