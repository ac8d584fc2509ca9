using Floe.Kernels.Arithmetic;

namespace Floe.Kernels.Tests;

/// <summary>Validity AND over masks and bitmaps against a scalar AND, at every length 0–257.</summary>
public sealed class ValidityAndTests
{
    [Test]
    public void Masks_MatchScalarAnd_AtEveryLength()
    {
        var random = new Random(31);
        foreach (int n in KernelInputs.Lengths)
        {
            var a = new bool[n];
            var b = new bool[n];
            for (int i = 0; i < n; i++) { a[i] = random.Next(3) > 0; b[i] = random.Next(3) > 0; }
            var d = new bool[n];
            ValidityAnd.And(a, b, d);
            for (int i = 0; i < n; i++) { if (!Equals(d[i], a[i] && b[i])) Assert.That(d[i], Is.EqualTo(a[i] && b[i]), $"n={n}, i={i}"); }
        }
    }

    [Test]
    public void Bitmaps_MatchScalarAnd_AtEveryLength()
    {
        var random = new Random(32);
        foreach (int n in KernelInputs.Lengths)
        {
            var a = new ulong[n];
            var b = new ulong[n];
            for (int i = 0; i < n; i++) { a[i] = (ulong)random.NextInt64(); b[i] = (ulong)random.NextInt64(); }
            var d = new ulong[n];
            ValidityAnd.And(a, b, d);
            for (int i = 0; i < n; i++) { if (!Equals(d[i], a[i] & b[i])) Assert.That(d[i], Is.EqualTo(a[i] & b[i]), $"n={n}, i={i}"); }
        }
    }
}
