using Floe.Kernels.Arithmetic;
using Floe.Kernels.Drivers;

namespace Floe.Kernels.Tests;

/// <summary>Each arithmetic kernel against C#'s own operators, element by element, at every length 0–257.</summary>
public sealed class BinaryDriverTests
{
    [Test]
    public void LongArithmetic_MatchesWrappingScalarOperators_AtEveryLength()
    {
        var random = new Random(11);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Longs(random, n);
            var y = KernelInputs.Longs(random, n);
            var d = new long[n];
            BinaryDriver.Invoke<long, AddOperator<long>>(x, y, d);
            for (int i = 0; i < n; i++) { if (!Equals(d[i], unchecked(x[i] + y[i]))) Assert.That(d[i], Is.EqualTo(unchecked(x[i] + y[i])), $"add, n={n}, i={i}"); }
            BinaryDriver.Invoke<long, SubtractOperator<long>>(x, y, d);
            for (int i = 0; i < n; i++) { if (!Equals(d[i], unchecked(x[i] - y[i]))) Assert.That(d[i], Is.EqualTo(unchecked(x[i] - y[i])), $"subtract, n={n}, i={i}"); }
            BinaryDriver.Invoke<long, MultiplyOperator<long>>(x, y, d);
            for (int i = 0; i < n; i++) { if (!Equals(d[i], unchecked(x[i] * y[i]))) Assert.That(d[i], Is.EqualTo(unchecked(x[i] * y[i])), $"multiply, n={n}, i={i}"); }
        }
    }

    [Test]
    public void DoubleArithmetic_MatchesScalarOperatorsBitForBit_AtEveryLength()
    {
        var random = new Random(12);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Doubles(random, n);
            var y = KernelInputs.Doubles(random, n);
            var d = new double[n];
            BinaryDriver.Invoke<double, AddOperator<double>>(x, y, d);
            for (int i = 0; i < n; i++) { if (!Equals(BitConverter.DoubleToInt64Bits(d[i]), BitConverter.DoubleToInt64Bits(x[i] + y[i]))) Assert.That(BitConverter.DoubleToInt64Bits(d[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(x[i] + y[i])), $"add, n={n}, i={i}"); }
            BinaryDriver.Invoke<double, MultiplyOperator<double>>(x, y, d);
            for (int i = 0; i < n; i++) { if (!Equals(BitConverter.DoubleToInt64Bits(d[i]), BitConverter.DoubleToInt64Bits(x[i] * y[i]))) Assert.That(BitConverter.DoubleToInt64Bits(d[i]), Is.EqualTo(BitConverter.DoubleToInt64Bits(x[i] * y[i])), $"multiply, n={n}, i={i}"); }
        }
    }

    [Test]
    public void InPlace_OverlappingTailStillReadsTheInputs()
    {
        var random = new Random(13);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = KernelInputs.Longs(random, n);
            var y = KernelInputs.Longs(random, n);
            var expected = new long[n];
            for (int i = 0; i < n; i++) { expected[i] = unchecked(x[i] + y[i]); }
            BinaryDriver.Invoke<long, AddOperator<long>>(x, y, x);
            Assert.That(x, Is.EqualTo(expected), $"n={n}");
        }
    }

    [Test]
    public void MismatchedLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => BinaryDriver.Invoke<long, AddOperator<long>>(new long[3], new long[4], new long[4]));
        Assert.Throws<ArgumentException>(() => BinaryDriver.Invoke<long, AddOperator<long>>(new long[4], new long[4], new long[3]));
    }
}
