using System.Text;
using Apache.Arrow;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;
using Floe.Features.Engine;
using Floe.Features.Expressions;

namespace Floe.Features.Tests.Columns;

/// <summary>
/// String columns stay UTF-8 through the feature engine: Arrow string arrays in and out at every slice start (the
/// engine's bytes shared, offsets rebased), and the string pool interning bytes to dense ids and gathering them back,
/// astral code points and empty strings included, checked against plain C# strings.
/// </summary>
public sealed class StringColumnsTests
{
    private static readonly string?[] Words = ["k7", "", null, "\U0001F600", "é\uFF21", "x\U0001F600y", "\uE000", "a;b"];

    [Test]
    public void ToArray_EveryStart_WritesTheSameStringsAndNulls()
    {
        var random = new Random(3);
        var all = new string?[300];
        for (int i = 0; i < all.Length; i++) { all[i] = Words[random.Next(Words.Length)]; }
        var column = ValueVector.FromStrings(all);
        foreach (int start in new[] { 0, 1, 7, 63, 64, 65, 200 })
        {
            int count = all.Length - start - 5;
            var array = (StringArray)ArrowColumns.ToArray(column, start, count);
            Assert.That(array.ValueOffsets[0], Is.Zero, $"start {start}: offsets rebased");
            int nulls = 0;
            for (int i = 0; i < count; i++)
            {
                nulls += all[start + i] is null ? 1 : 0;
                Assert.That(array.IsValid(i) ? array.GetString(i) : null, Is.EqualTo(all[start + i]), $"start {start}, row {i}");
            }
            Assert.That(array.NullCount, Is.EqualTo(nulls));
            var back = ArrowColumns.FromArray(array, "s");
            Assert.That(Enumerable.Range(0, count).Select(back.GetString), Is.EqualTo(all.Skip(start).Take(count)));
        }
    }

    [Test]
    public void FromArray_LargeStrings_ReadLikeStrings()
    {
        var array = new LargeStringArray.Builder().Append("\U0001F600").AppendNull().Append("").Build();
        var column = ArrowColumns.FromArray(array, "s");
        Assert.That(column.Kind, Is.EqualTo(ValueKind.String));
        Assert.That(Enumerable.Range(0, 3).Select(column.GetString), Is.EqualTo(new string?[] { "\U0001F600", null, "" }));
    }

    [Test]
    public void StringPool_InternsBytesToDenseIds_AndGathersThemBack()
    {
        var pool = new StringPool();
        var random = new Random(4);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new long[5000];
        var texts = new string[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            // Many distinct values (the table rehashes several times) and many repeats.
            string text = random.Next(3) == 0 ? Words[random.Next(Words.Length)] ?? "" : "v\U0001F600" + random.Next(3000);
            ids[i] = pool.Intern(Encoding.UTF8.GetBytes(text));
            if (!seen.TryGetValue(text, out long id)) { seen[text] = id = seen.Count; }
            Assert.That(ids[i], Is.EqualTo(id), $"'{text}' keeps its first-seen id");
            texts[i] = text;
        }
        Assert.That(pool.Count, Is.EqualTo(seen.Count));
        var valid = new bool[ids.Length];
        for (int i = 0; i < valid.Length; i++) { valid[i] = i % 7 != 0; }
        var column = pool.Gather(ids, valid, ValueVector.Validity(valid));
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.That(column.GetString(i), Is.EqualTo(valid[i] ? texts[i] : null), $"row {i}");
        }
    }
}
