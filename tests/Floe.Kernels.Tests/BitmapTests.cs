using Floe.Kernels.Bitmaps;

namespace Floe.Kernels.Tests;

/// <summary>
/// The bitmap kernels (and, or, and-not, not, popcount, flags in and out, Kleene and/or) against a bit-at-a-time
/// reference over <c>bool</c>s, at every length 0–257.
/// </summary>
public sealed class BitmapTests
{
    private static bool[] RandomBools(Random random, int n, int setOneIn)
    {
        var b = new bool[n];
        for (int i = 0; i < n; i++) { b[i] = random.Next(setOneIn) != 0; }
        return b;
    }

    // The reference packer: one bit at a time, tail clear.
    private static ulong[] Pack(bool[] bits)
    {
        var w = new ulong[Bitmap.WordCount(bits.Length)];
        for (int i = 0; i < bits.Length; i++) { if (bits[i]) { w[i >> 6] |= 1UL << (i & 63); } }
        return w;
    }

    private static void AssertBits(ulong[] words, Func<int, bool> expected, int n, string what)
    {
        for (int i = 0; i < n; i++) { if (!Equals(Bitmap.Get(words, i), expected(i))) Assert.That(Bitmap.Get(words, i), Is.EqualTo(expected(i)), $"{what}, n={n}, i={i}"); }
        if ((n & 63) != 0) { Assert.That(words[n >> 6] >> (n & 63), Is.Zero, $"{what}: bits past the length, n={n}"); }
    }

    [Test]
    public void WordOperators_MatchScalarReference_AtEveryLength()
    {
        var random = new Random(41);
        foreach (int n in KernelInputs.Lengths)
        {
            var a = RandomBools(random, n, 2);
            var b = RandomBools(random, n, 3);
            var pa = Pack(a);
            var pb = Pack(b);
            var d = new ulong[pa.Length];
            Bitmap.And(pa, pb, d);
            AssertBits(d, i => a[i] && b[i], n, "and");
            Bitmap.Or(pa, pb, d);
            AssertBits(d, i => a[i] || b[i], n, "or");
            Bitmap.AndNot(pa, pb, d);
            AssertBits(d, i => a[i] && !b[i], n, "and-not");
            Bitmap.Not(pa, d, n);
            AssertBits(d, i => !a[i], n, "not");
            // In place: the destination is the left input.
            var inPlace = (ulong[])pa.Clone();
            Bitmap.Or(inPlace, pb, inPlace);
            AssertBits(inPlace, i => a[i] || b[i], n, "or in place");
        }
    }

    [Test]
    public void WordOperators_MatchScalarOperators_OnRandomWords_AtEveryLength()
    {
        var random = new Random(42);
        foreach (int n in KernelInputs.Lengths)
        {
            var x = new ulong[n];
            var y = new ulong[n];
            for (int i = 0; i < n; i++) { x[i] = (ulong)random.NextInt64(); y[i] = (ulong)random.NextInt64(); }
            var d = new ulong[n];
            Bitmap.AndNot(x, y, d);
            for (int i = 0; i < n; i++) { Assert.That(d[i], Is.EqualTo(BitwiseAndNotOperator.Invoke(x[i], y[i])).And.EqualTo(x[i] & ~y[i]), $"n={n}, i={i}"); }
        }
    }

    [Test]
    public void PopCount_CountsOnlyBitsBelowTheLength_AtEveryLength()
    {
        var random = new Random(43);
        foreach (int n in KernelInputs.Lengths)
        {
            var a = RandomBools(random, n, 2);
            // Garbage past the length must not be counted.
            var words = Pack(a);
            if ((n & 63) != 0) { words[n >> 6] |= ~0UL << (n & 63); }
            int expected = 0;
            foreach (bool bit in a) { expected += bit ? 1 : 0; }
            Assert.That(Bitmap.PopCount(words, n), Is.EqualTo(expected), $"n={n}");
        }
    }

    [Test]
    public void Flags_RoundTripThroughBits_AtEveryLength()
    {
        var random = new Random(44);
        foreach (int n in KernelInputs.Lengths)
        {
            var a = RandomBools(random, n, 2);
            var bytes = new byte[n];
            // Any non-zero byte counts as set.
            for (int i = 0; i < n; i++) { bytes[i] = a[i] ? (byte)random.Next(1, 256) : (byte)0; }
            var fromBytes = new ulong[Bitmap.WordCount(n)];
            Bitmap.FromFlags(bytes, fromBytes);
            Assert.That(fromBytes, Is.EqualTo(Pack(a)), $"from bytes, n={n}");
            var fromBools = new ulong[Bitmap.WordCount(n)];
            Bitmap.FromFlags(a, fromBools);
            Assert.That(fromBools, Is.EqualTo(Pack(a)), $"from bools, n={n}");
            var back = new bool[n];
            Bitmap.ToFlags(fromBools, back);
            Assert.That(back, Is.EqualTo(a), $"to flags, n={n}");
        }
    }

    [Test]
    public void Kleene_MatchesThreeValuedTruthTable_AtEveryLength()
    {
        var random = new Random(45);
        foreach (int n in KernelInputs.Lengths)
        {
            var a = RandomBools(random, n, 2);
            var b = RandomBools(random, n, 2);
            var va = RandomBools(random, n, 3);
            var vb = RandomBools(random, n, 3);
            int words = Bitmap.WordCount(n);
            foreach (bool leftAllValid in new[] { false, true })
            {
                var ka = leftAllValid ? [] : Pack(va);
                bool KnownA(int i) => leftAllValid || va[i];
                var values = new ulong[words];
                var valid = new ulong[words];
                // Value bits under null are garbage on purpose: the kernels must ignore them.
                Kleene.And(Pack(a), ka, Pack(b), Pack(vb), values, valid, n);
                AssertBits(valid, i => (KnownA(i) && vb[i]) || (KnownA(i) && !a[i]) || (vb[i] && !b[i]), n, "and validity");
                AssertBits(values, i => KnownA(i) && vb[i] && a[i] && b[i], n, "and values");
                Kleene.Or(Pack(a), ka, Pack(b), Pack(vb), values, valid, n);
                AssertBits(valid, i => (KnownA(i) && vb[i]) || (KnownA(i) && a[i]) || (vb[i] && b[i]), n, "or validity");
                AssertBits(values, i => (KnownA(i) && a[i]) || (vb[i] && b[i]), n, "or values");
            }
        }
    }
}
