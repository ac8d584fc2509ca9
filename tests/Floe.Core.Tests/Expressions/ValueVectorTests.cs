using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Core.Expressions;
using Floe.Core.Expressions.Evaluation;

namespace Floe.Core.Tests.Expressions;

/// <summary>
/// The one column container: validity, UTF-8 strings (astral code points included), row selection and
/// concatenation across word boundaries, and Arrow string arrays read at any offset, each checked against plain
/// C# arrays of the same values.
/// </summary>
public sealed class ValueVectorTests
{
    private static readonly string?[] Words = ["a", "", null, "\U0001F600", "é\uFF21", "x\U0001F600y", null, "\uE000", "long text, with a comma"];

    private static string?[] RandomStrings(Random random, int n)
    {
        var s = new string?[n];
        for (int i = 0; i < n; i++) { s[i] = Words[random.Next(Words.Length)]; }
        return s;
    }

    private static string?[] Read(ValueVector v)
    {
        var r = new string?[v.Length];
        for (int i = 0; i < r.Length; i++) { r[i] = v.GetString(i); }
        return r;
    }

    [Test]
    public void FromStrings_NullsAndAstralCodePoints_ReadBackAsGiven()
    {
        var v = ValueVector.FromStrings(Words);
        Assert.That(v.Kind, Is.EqualTo(ValueKind.String));
        Assert.That(Read(v), Is.EqualTo(Words));
        Assert.That(v.IsValid(2), Is.False);
        Assert.That(v.IsValid(1), Is.True, "the empty string is a value, not null");
        Assert.That(v.GetUtf8(3).ToArray(), Is.EqualTo(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }), "U+1F600 as four UTF-8 bytes, not two UTF-16 surrogates");
        Assert.That(v.Offsets![v.Length], Is.EqualTo(v.Utf8!.Length));
    }

    [Test]
    public void FromStrings_NoNulls_HasNoValidityBitmap()
    {
        Assert.That(ValueVector.FromStrings(["a", "b"]).Valid, Is.Null);
    }

    [Test]
    public void FromUtf8_OffsetsPastTheBytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => ValueVector.FromUtf8([1, 2], [0, 1, 3], null));
        Assert.Throws<ArgumentException>(() => ValueVector.FromUtf8([1, 2], [0, 1], null, 2));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(200)]
    public void Take_EveryKind_SelectsTheRowsAndTheirNulls(int n)
    {
        var random = new Random(n + 11);
        var strings = RandomStrings(random, n);
        var longs = new long[n];
        var doubles = new double[n];
        var flags = new bool[n];
        var validFlags = new bool[n];
        for (int i = 0; i < n; i++)
        {
            longs[i] = random.NextInt64();
            doubles[i] = random.NextDouble();
            flags[i] = random.Next(2) == 0;
            validFlags[i] = random.Next(5) != 0;
        }
        var valid = ValueVector.Validity(validFlags);
        var rows = new int[n + 7];
        for (int i = 0; i < rows.Length; i++) { rows[i] = n == 0 ? 0 : random.Next(n); }
        if (n == 0) { rows = []; }

        var s = ValueVector.FromStrings(strings).Take(rows);
        var l = ValueVector.FromLongs(ValueKind.Timestamp, longs, valid).Take(rows);
        var d = ValueVector.FromDoubles(doubles, valid).Take(rows);
        var b = ValueVector.FromBools(flags, valid).Take(rows);
        Assert.That(l.Kind, Is.EqualTo(ValueKind.Timestamp));
        for (int i = 0; i < rows.Length; i++)
        {
            int k = rows[i];
            Assert.That(s.GetString(i), Is.EqualTo(strings[k]), $"string row {i}");
            Assert.That(l.IsValid(i) && d.IsValid(i) && b.IsValid(i), Is.EqualTo(validFlags[k]), $"validity row {i}");
            Assert.That(l.Longs![i], Is.EqualTo(longs[k]));
            Assert.That(d.Doubles![i], Is.EqualTo(doubles[k]));
            Assert.That(b.GetBool(i), Is.EqualTo(flags[k]));
        }
    }

    [Test]
    public void Take_ListColumn_SelectsWholeLists()
    {
        var elements = ValueVector.FromStrings(["a", "\U0001F600", null, "c", "d"]);
        var lists = ValueVector.FromList(ValueKind.String, [0, 2, 2, 5], elements, ValueVector.Validity([true, false, true]));
        var taken = lists.Take([2, 0, 2]);
        Assert.That(taken.IsList, Is.True);
        Assert.That(taken.ListOffsets, Is.EqualTo(new[] { 0, 3, 5, 8 }));
        Assert.That(Read(taken.ListValues!), Is.EqualTo(new string?[] { null, "c", "d", "a", "\U0001F600", null, "c", "d" }));
        Assert.That(Enumerable.Range(0, 3).Select(taken.IsValid), Is.EqualTo(new[] { true, true, true }));
        Assert.That(lists.Take([1]).IsValid(0), Is.False);
    }

    [Test]
    public void Concat_PartsOfOddLengths_KeepsValuesAndNullsInOrder()
    {
        var random = new Random(5);
        var parts = new List<ValueVector>();
        var longParts = new List<ValueVector>();
        var boolParts = new List<ValueVector>();
        var expected = new List<string?>();
        var expectedLongs = new List<long?>();
        var expectedBools = new List<bool?>();
        foreach (int n in new[] { 3, 0, 64, 61, 1, 130 })
        {
            var s = RandomStrings(random, n);
            // Parts that start inside their byte buffer (a selection of a larger column), not at byte 0.
            var wide = ValueVector.FromStrings([.. RandomStrings(random, 2), .. s]);
            parts.Add(wide.Take(Enumerable.Range(2, n).ToArray()));
            expected.AddRange(s);
            var l = new long[n];
            var f = new bool[n];
            var ok = new bool[n];
            for (int i = 0; i < n; i++)
            {
                l[i] = random.Next();
                f[i] = random.Next(2) == 0;
                ok[i] = n == 64 || random.Next(4) != 0;
                expectedLongs.Add(ok[i] ? l[i] : null);
                expectedBools.Add(ok[i] ? f[i] : null);
            }
            longParts.Add(ValueVector.FromLongs(ValueKind.Int64, l, ValueVector.Validity(ok)));
            boolParts.Add(ValueVector.FromBools(f, ValueVector.Validity(ok)));
        }
        Assert.That(Read(ValueVector.Concat(parts)), Is.EqualTo(expected));
        var longs = ValueVector.Concat(longParts);
        var bools = ValueVector.Concat(boolParts);
        Assert.That(Enumerable.Range(0, longs.Length).Select(i => longs.IsValid(i) ? longs.Longs![i] : (long?)null), Is.EqualTo(expectedLongs));
        Assert.That(Enumerable.Range(0, bools.Length).Select(i => bools.IsValid(i) ? bools.GetBool(i) : (bool?)null), Is.EqualTo(expectedBools));
    }

    [Test]
    public void ArrowValues_SlicedStringArrays_ReadTheSameStrings()
    {
        var random = new Random(9);
        var all = RandomStrings(random, 150);
        var builder = new StringArray.Builder();
        foreach (var s in all) { if (s is null) { builder.AppendNull(); } else { builder.Append(s); } }
        var whole = builder.Build();
        for (int offset = 0; offset < 70; offset += 3)
        {
            int length = all.Length - offset - random.Next(20);
            var v = ArrowValues.ToVector(ArrowArrayFactory.Slice(whole, offset, length));
            Assert.That(v.Offsets![0], Is.Zero, "the bytes copied are the slice's");
            Assert.That(Read(v), Is.EqualTo(all.Skip(offset).Take(length)), $"offset {offset}");
        }
    }

    [Test]
    public void CastToString_PrintsAsTheInvariantRoundTripForm()
    {
        double[] doubles = [1.5, -0.0, 1e300, double.NaN, 0.1 + 0.2];
        var x = ValueVector.FromDoubles(doubles, ValueVector.Validity([true, true, true, true, false]));
        var cast = ValueEvaluator.Evaluate(ExpressionSyntax.Parse("cast(x as string)"), _ => x, doubles.Length);
        var expected = doubles.Select(d => d.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        expected[^1] = null!;
        Assert.That(Read(cast), Is.EqualTo(expected));
        var back = ValueEvaluator.Evaluate(ExpressionSyntax.Parse("cast(cast(x as string) as double)"), _ => x, doubles.Length);
        for (int i = 0; i < 4; i++) { Assert.That(back.Doubles![i], Is.EqualTo(doubles[i])); }
    }

    [Test]
    public void StringLiteralComparison_OrdersByCodePoint_EitherSide()
    {
        var s = ValueVector.FromStrings(["\U0001F600", "\uFF21", null, "a"]);
        var left = ValueEvaluator.Evaluate(ExpressionSyntax.Parse("s > '\uFF21'"), _ => s, 4);
        var right = ValueEvaluator.Evaluate(ExpressionSyntax.Parse("'\uFF21' < s"), _ => s, 4);
        var inList = ValueEvaluator.Evaluate(ExpressionSyntax.Parse("s in ('a', '\U0001F600')"), _ => s, 4);
        foreach (var v in new[] { left, right })
        {
            Assert.That(Enumerable.Range(0, 4).Select(i => v.IsValid(i) ? v.GetBool(i) : (bool?)null), Is.EqualTo(new bool?[] { true, false, null, false }));
        }
        Assert.That(Enumerable.Range(0, 4).Select(i => inList.IsValid(i) ? inList.GetBool(i) : (bool?)null), Is.EqualTo(new bool?[] { true, false, null, true }));
        var ex = Assert.Throws<ExpressionException>(() => ValueEvaluator.Evaluate(ExpressionSyntax.Parse("x = 'a'"), _ => ValueVector.FromLongs(ValueKind.Int64, [1], null), 1));
        Assert.That(ex!.Message, Is.EqualTo("cannot compare int64 with string"));
        Assert.That(Encoding.UTF8.GetString(s.GetUtf8(0)), Is.EqualTo("\U0001F600"));
    }
}
