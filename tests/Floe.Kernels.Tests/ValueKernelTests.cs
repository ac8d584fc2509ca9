using Floe.Kernels.Arithmetic;
using Floe.Kernels.Comparison;
using Floe.Kernels.Conversion;
using Floe.Kernels.Drivers;
using Floe.Kernels.Selection;

namespace Floe.Kernels.Tests;

/// <summary>
/// The kernels under the expression language's value operators (negate, abs, min/max, safe divide and remainder,
/// casts, bitmap select, column-against-column compare) against scalar C# written out here, at every length 0–257.
/// Doubles are compared bit for bit (NaN payloads and signed zeros included).
/// </summary>
public sealed class ValueKernelTests
{
    private static long[] Bits(double[] values) => Array.ConvertAll(values, BitConverter.DoubleToInt64Bits);

    private static ulong[] RandomBitmap(Random random, int n)
    {
        var words = new ulong[(n + 63) >> 6];
        for (int w = 0; w < words.Length; w++)
        {
            // Whole-word runs as well as mixed words, so both select paths run.
            words[w] = random.Next(4) switch { 0 => 0UL, 1 => ulong.MaxValue, _ => (ulong)random.NextInt64() };
        }
        if ((n & 63) != 0) { words[^1] &= (1UL << (n & 63)) - 1; }
        return words;
    }

    private static bool Get(ulong[] bits, int i) => ((bits[i >> 6] >> (i & 63)) & 1) != 0;

    [Test]
    public void Negate_MatchesScalarNegation_AtEveryLength()
    {
        var random = new Random(31);
        foreach (int n in KernelInputs.Lengths)
        {
            var l = KernelInputs.Longs(random, n);
            var lr = new long[n];
            UnaryDriver.Invoke<long, long, NegateOperator<long>>(l, lr);
            Assert.That(lr, Is.EqualTo(Array.ConvertAll(l, x => unchecked(-x))), $"long, n={n}");
            var d = KernelInputs.Doubles(random, n);
            var dr = new double[n];
            UnaryDriver.Invoke<double, double, NegateOperator<double>>(d, dr);
            Assert.That(Bits(dr), Is.EqualTo(Bits(Array.ConvertAll(d, x => -x))), $"double, n={n}");
        }
    }

    [Test]
    public void Abs_MatchesMathAbs_AndLongMinValueGivesZero_AtEveryLength()
    {
        var random = new Random(32);
        foreach (int n in KernelInputs.Lengths)
        {
            var l = KernelInputs.Longs(random, n);
            var lr = new long[n];
            UnaryDriver.Invoke<long, long, Int64AbsOperator>(l, lr);
            Assert.That(lr, Is.EqualTo(Array.ConvertAll(l, x => x == long.MinValue ? 0 : Math.Abs(x))), $"long, n={n}");
            var d = KernelInputs.Doubles(random, n);
            var dr = new double[n];
            UnaryDriver.Invoke<double, double, AbsOperator>(d, dr);
            Assert.That(Bits(dr), Is.EqualTo(Bits(Array.ConvertAll(d, Math.Abs))), $"double, n={n}");
        }
    }

    [Test]
    public void MinMax_ChallengerWinsOnlyWhenStrictlyBeyond_AtEveryLength()
    {
        var random = new Random(33);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Doubles(random, n);
            var y = KernelInputs.Doubles(random, n);
            var r = new double[n];
            var expected = new double[n];
            BinaryDriver.Invoke<double, MaxOperator<double>>(x, y, r);
            for (int i = 0; i < n; i++) { expected[i] = y[i] > x[i] ? y[i] : x[i]; }
            Assert.That(Bits(r), Is.EqualTo(Bits(expected)), $"max, n={n}");
            BinaryDriver.Invoke<double, MinOperator<double>>(x, y, r);
            for (int i = 0; i < n; i++) { expected[i] = y[i] < x[i] ? y[i] : x[i]; }
            Assert.That(Bits(r), Is.EqualTo(Bits(expected)), $"min, n={n}");
            var a = KernelInputs.Longs(random, n);
            var b = KernelInputs.Longs(random, n);
            var lr = new long[n];
            BinaryDriver.Invoke<long, MaxOperator<long>>(a, b, lr);
            Assert.That(lr, Is.EqualTo(a.Zip(b, (p, q) => q > p ? q : p).ToArray()), $"long max, n={n}");
        }
    }

    [Test]
    public void ColumnAgainstValue_MatchesScalarOperators_AtEveryLength()
    {
        var random = new Random(39);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Longs(random, n);
            long y = KernelInputs.Longs(random, 1)[0];
            var r = new long[n];
            BinaryDriver.Invoke<long, MultiplyOperator<long>>(x, y, r);
            Assert.That(r, Is.EqualTo(Array.ConvertAll(x, v => unchecked(v * y))), $"long multiply by {y}, n={n}");
            var expected = Array.ConvertAll(x, v => unchecked(v - y));
            BinaryDriver.Invoke<long, SubtractOperator<long>>(x, y, x);
            Assert.That(x, Is.EqualTo(expected), $"long subtract {y} in place, n={n}");
            var d = KernelInputs.Doubles(random, n);
            double e = KernelInputs.Doubles(random, 1)[0];
            var dr = new double[n];
            BinaryDriver.Invoke<double, AddOperator<double>>(d, e, dr);
            Assert.That(Bits(dr), Is.EqualTo(Bits(Array.ConvertAll(d, v => v + e))), $"double add {e}, n={n}");
        }
    }

    [Test]
    public void SafeDivide_QuotientsAndNullsWhereTheDivisorIsZero_AtEveryLength()
    {
        var random = new Random(34);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Doubles(random, n);
            var y = KernelInputs.Doubles(random, n);
            var r = new double[n];
            var valid = RandomBitmap(random, n);
            var before = (ulong[])valid.Clone();
            SafeDivide.Divide(x, y, r, valid.AsSpan());
            for (int i = 0; i < n; i++)
            {
                bool zero = y[i] == 0.0;
                Assert.That(Get(valid, i), Is.EqualTo(Get(before, i) && !zero), $"valid, n={n}, i={i}");
                Assert.That(BitConverter.DoubleToInt64Bits(r[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(zero ? 0.0 : x[i] / y[i])), $"{x[i]} / {y[i]}, n={n}, i={i}");
            }
        }
    }

    [Test]
    public void SafeRemainder_MatchesCSharpRemainder_NullForZeroDivisorAndMinValueByMinusOne()
    {
        var random = new Random(35);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Longs(random, n);
            var y = KernelInputs.Longs(random, n);
            var r = new long[n];
            var valid = RandomBitmap(random, n);
            var before = (ulong[])valid.Clone();
            SafeRemainder.Remainder(x, y, r, valid);
            for (int i = 0; i < n; i++)
            {
                bool none = y[i] == 0 || (y[i] == -1 && x[i] == long.MinValue);
                Assert.That(Get(valid, i), Is.EqualTo(Get(before, i) && !none), $"long valid, n={n}, i={i}");
                Assert.That(r[i], Is.EqualTo(none ? 0 : x[i] % y[i]), $"{x[i]} % {y[i]}, n={n}, i={i}");
            }
            var dx = KernelInputs.Doubles(random, n);
            var dy = KernelInputs.Doubles(random, n);
            var dr = new double[n];
            valid = RandomBitmap(random, n);
            before = (ulong[])valid.Clone();
            SafeRemainder.Remainder(dx, dy, dr, valid);
            for (int i = 0; i < n; i++)
            {
                bool zero = dy[i] == 0.0;
                Assert.That(Get(valid, i), Is.EqualTo(Get(before, i) && !zero), $"double valid, n={n}, i={i}");
                Assert.That(BitConverter.DoubleToInt64Bits(dr[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(zero ? 0.0 : dx[i] % dy[i])), $"{dx[i]} % {dy[i]}, n={n}, i={i}");
            }
        }
    }

    [Test]
    public void Casts_LongToDoubleRoundsAsCSharp_DoubleToLongTruncatesOrTurnsNull()
    {
        var random = new Random(36);
        double[] edges = [9.2233720368547758E18, -9.2233720368547758E18, 9.2233720368547748E18, -9.2233720368547768E18, 1.5e19, -1.5e19, 0.999, -0.999, 4503599627370497.5];
        foreach (int n in KernelInputs.Lengths)
        {
            var l = KernelInputs.Longs(random, n);
            var d = new double[n];
            UnaryDriver.Invoke<long, double, Int64ToDoubleOperator>(l, d);
            Assert.That(Bits(d), Is.EqualTo(Bits(Array.ConvertAll(l, x => (double)x))), $"long to double, n={n}");
            var x = KernelInputs.Doubles(random, n);
            for (int i = 0; i < n; i += 3) { x[i] = edges[random.Next(edges.Length)]; }
            var r = new long[n];
            var valid = RandomBitmap(random, n);
            var before = (ulong[])valid.Clone();
            DoubleToInt64.Convert(x, r, valid);
            for (int i = 0; i < n; i++)
            {
                double t = Math.Truncate(x[i]);
                bool fits = t >= -9.2233720368547758E18 && t < 9.2233720368547758E18;
                Assert.That(Get(valid, i), Is.EqualTo(Get(before, i) && fits), $"valid of {x[i]}, n={n}, i={i}");
                Assert.That(r[i], Is.EqualTo(fits ? (long)t : 0), $"value of {x[i]}, n={n}, i={i}");
            }
        }
    }

    [Test]
    public void BitmapSelect_TakesTheSetSideWhereTheMaskIsSet_AtEveryLength()
    {
        var random = new Random(37);
        foreach (int n in KernelInputs.Lengths)
        {
            var mask = RandomBitmap(random, n);
            var a = KernelInputs.Longs(random, n);
            var b = KernelInputs.Longs(random, n);
            var r = new long[n];
            BitmapSelect.Select<long>(mask, a, b, r);
            var expected = new long[n];
            for (int i = 0; i < n; i++) { expected[i] = Get(mask, i) ? a[i] : b[i]; }
            Assert.That(r, Is.EqualTo(expected), $"n={n}");
            var p = RandomBitmap(random, n);
            var q = RandomBitmap(random, n);
            var bits = new ulong[(n + 63) >> 6];
            BitmapSelect.SelectBits(mask, p, q, bits, n);
            for (int i = 0; i < n; i++) { if (!Equals(Get(bits, i), Get(mask, i) ? Get(p, i) : Get(q, i))) Assert.That(Get(bits, i), Is.EqualTo(Get(mask, i) ? Get(p, i) : Get(q, i)), $"bits, n={n}, i={i}"); }
        }
    }

    [Test]
    public void ColumnAgainstColumnBitmap_MatchesScalarComparisons_AtEveryLength()
    {
        var random = new Random(38);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Doubles(random, n);
            var y = KernelInputs.Doubles(random, n);
            var bits = new ulong[((n + 63) >> 6) + 1];
            bits[^1] = ulong.MaxValue;
            ComparisonDriver.ToBitmap<double, LessThanOperator<double>>(x, y, bits);
            for (int i = 0; i < n; i++) { if (!Equals(Get(bits, i), x[i] < y[i])) Assert.That(Get(bits, i), Is.EqualTo(x[i] < y[i]), $"{x[i]} < {y[i]}, n={n}, i={i}"); }
            if ((n & 63) != 0) { Assert.That(bits[n >> 6] >> (n & 63), Is.Zero, $"tail bits clear, n={n}"); }
            var a = KernelInputs.Longs(random, n);
            var b = KernelInputs.Longs(random, n);
            ComparisonDriver.ToBitmap<long, NotEqualOperator<long>>(a, b, bits);
            for (int i = 0; i < n; i++) { if (!Equals(Get(bits, i), a[i] != b[i])) Assert.That(Get(bits, i), Is.EqualTo(a[i] != b[i]), $"{a[i]} != {b[i]}, n={n}, i={i}"); }
        }
    }
}
