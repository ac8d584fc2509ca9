using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Parquet;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// PLAIN ints, longs, floats and doubles of a file with a page index take their statistics when each page is sealed,
/// in the pass over the page's bounds, not as rows arrive: the row groups' min/max, the file's bounds and the NaN and
/// null counts must be those of the values, and the same as a file without a page index (which takes them on append),
/// through nulls, NaN-only pages, pages straight from the batch and a dictionary given up in the middle of a page.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly Schema DeferredSchema = new(0, new[]
    {
        new NestedField(1, "d", false, PrimitiveType.Double),
        new NestedField(2, "f", false, PrimitiveType.Float),
        new NestedField(3, "i", false, PrimitiveType.Int),
        new NestedField(4, "l", false, PrimitiveType.Long),
        new NestedField(5, "k", false, PrimitiveType.Double),
    });

    private const int DeferredRows = 7_321;

    // Row r's values: NaN-only rows 2000-2599 (a whole page of d and f at 500 rows a page), nulls on rows divisible by
    // 13 (d, i) and 17 (f); k repeats ten values for 1,150 rows (a dictionary), then is distinct (the dictionary is
    // given up inside the page holding row 1,150 + 256).
    private static double? DeferredD(int r) => r % 13 == 0 ? null : r is >= 2000 and < 2600 || r % 97 == 5 ? double.NaN : Noisy(r) * (r % 3 - 1);

    private static float? DeferredF(int r) => r % 17 == 0 ? null : r is >= 2000 and < 2600 ? float.NaN : (float)(Noisy(r + 1) * 1e3 - 400);

    private static int? DeferredI(int r) => r % 13 == 0 ? null : (r * 7919) % 100_003 - 50_000;

    private static long DeferredL(int r) => 1_700_000_000_000_000L - r * 1_000_003L + (r % 5) * 77;

    private static double DeferredK(int r) => r < 1150 ? r % 10 * 1.5 : Noisy(r + 3) * 1e6 - r;

    private static RecordBatch DeferredBatch(int from, int count)
    {
        var d = new double?[count];
        var f = new float?[count];
        var i = new int?[count];
        var l = new long?[count];
        var k = new double?[count];
        for (var r = 0; r < count; r++)
        {
            d[r] = DeferredD(from + r);
            f[r] = DeferredF(from + r);
            i[r] = DeferredI(from + r);
            l[r] = DeferredL(from + r);
            k[r] = DeferredK(from + r);
        }
        return new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(DeferredSchema), new[]
        {
            ArrowTestData.Primitive<double>(DoubleType.Default, d),
            ArrowTestData.Primitive<float>(FloatType.Default, f),
            ArrowTestData.Primitive<int>(Int32Type.Default, i),
            ArrowTestData.Primitive<long>(Int64Type.Default, l),
            ArrowTestData.Primitive<double>(DoubleType.Default, k),
        }, count);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Write_StatisticsTakenAtPageSeal_AreThoseOfTheValues(bool trials)
    {
        ParquetWriterOptions Options(bool pageIndex) => new()
        {
            PageIndex = pageIndex,
            PageRows = 500,
            RowGroupRows = 3_000,
            DictionaryPageBytes = 2_048,
            ByteStreamSplitSlack = trials ? 0.2 : null,
            FastZstdSlack = trials ? 0.05 : null,
        };
        // Small slices (pages assembled in the buffer) and slices of whole pages (l and k straight from the batch).
        var slices = new List<(int From, int Count)>();
        for (int from = 0, n = 0; from < DeferredRows; n++)
        {
            var count = Math.Min(n % 3 == 2 ? 1_700 : 137 + n * 31 % 400, DeferredRows - from);
            slices.Add((from, count));
            from += count;
        }
        ParquetFileMetrics Write(string name, bool pageIndex, out string path)
        {
            path = Path.Combine(_dir, name);
            using var writer = new ParquetDataWriter(new LocalFileIO(), path, DeferredSchema, "{}", Options(pageIndex));
            foreach (var (from, count) in slices)
            {
                using var batch = DeferredBatch(from, count);
                writer.Write(batch);
            }
            return writer.Close();
        }
        var deferred = Write("deferred.parquet", pageIndex: true, out var deferredPath);
        var onAppend = Write("append.parquet", pageIndex: false, out var appendPath);

        var rows = Enumerable.Range(0, DeferredRows).ToArray();
        var d = rows.Select(DeferredD).Where(v => v is not null && !double.IsNaN(v.Value)).Select(v => v!.Value).ToArray();
        var f = rows.Select(DeferredF).Where(v => v is not null && !float.IsNaN(v.Value)).Select(v => v!.Value).ToArray();
        var i = rows.Select(DeferredI).Where(v => v is not null).Select(v => v!.Value).ToArray();
        var l = rows.Select(DeferredL).ToArray();
        var k = rows.Select(DeferredK).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(deferred.LowerBounds[1], Is.EqualTo(d.Min()));
            Assert.That(deferred.UpperBounds[1], Is.EqualTo(d.Max()));
            Assert.That(deferred.LowerBounds[2], Is.EqualTo(f.Min()));
            Assert.That(deferred.UpperBounds[2], Is.EqualTo(f.Max()));
            Assert.That(deferred.LowerBounds[3], Is.EqualTo(i.Min()));
            Assert.That(deferred.UpperBounds[3], Is.EqualTo(i.Max()));
            Assert.That(deferred.LowerBounds[4], Is.EqualTo(l.Min()));
            Assert.That(deferred.UpperBounds[4], Is.EqualTo(l.Max()));
            Assert.That(deferred.LowerBounds[5], Is.EqualTo(k.Min()));
            Assert.That(deferred.UpperBounds[5], Is.EqualTo(k.Max()));
            Assert.That(deferred.NanValueCounts[1], Is.EqualTo(rows.Count(r => DeferredD(r) is { } v && double.IsNaN(v))));
            Assert.That(deferred.NanValueCounts[2], Is.EqualTo(rows.Count(r => DeferredF(r) is { } v && float.IsNaN(v))));
            Assert.That(deferred.NanValueCounts[5], Is.EqualTo(0));
            Assert.That(deferred.NullValueCounts[1], Is.EqualTo(rows.Count(r => DeferredD(r) is null)));
            foreach (var id in new[] { 1, 2, 3, 4, 5 })
            {
                Assert.That(deferred.LowerBounds[id], Is.EqualTo(onAppend.LowerBounds[id]), $"lower {id}");
                Assert.That(deferred.UpperBounds[id], Is.EqualTo(onAppend.UpperBounds[id]), $"upper {id}");
                Assert.That(deferred.NullValueCounts[id], Is.EqualTo(onAppend.NullValueCounts[id]), $"nulls {id}");
            }
            Assert.That(deferred.NanValueCounts, Is.EquivalentTo(onAppend.NanValueCounts));
        });

        // Every row group's footer statistics, against the values of its rows and the file taking them on append.
        string Stats(string path) => string.Join("\n", DuckDb.Query(
            $"SELECT row_group_id AS g, path_in_schema AS c, row_group_num_rows AS n, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls FROM parquet_metadata({DuckDb.Quote(path)}) ORDER BY g, column_id")
            .Select(r => $"{r["g"]} {r["c"]} {r["lo"]} {r["hi"]} {r["nulls"]}"));
        var deferredStats = Stats(deferredPath);
        Assert.That(deferredStats, Is.EqualTo(Stats(appendPath)));
        var expected = new List<string>();
        for (int g = 0, start = 0; start < DeferredRows; g++, start += 3_000)
        {
            var group = rows.Skip(start).Take(3_000).ToArray();
            var gl = group.Select(DeferredL).ToArray();
            var gi = group.Select(DeferredI).Where(v => v is not null).Select(v => v!.Value).ToArray();
            expected.Add($"{g} l {gl.Min().ToString(CultureInfo.InvariantCulture)} {gl.Max().ToString(CultureInfo.InvariantCulture)} 0");
            expected.Add($"{g} i {gi.Min().ToString(CultureInfo.InvariantCulture)} {gi.Max().ToString(CultureInfo.InvariantCulture)} {group.Count(r => DeferredI(r) is null)}");
        }
        var lines = deferredStats.Split('\n').Where(s => s.Split(' ')[1] is "l" or "i").ToList();
        Assert.That(lines, Is.EquivalentTo(expected));

        // The page index still bounds every page's values (a NaN-only page leaves the chunk without a column index).
        var read = DuckDb.Query($"SELECT d, f::DOUBLE AS f, i, l, k FROM read_parquet({DuckDb.Quote(deferredPath)})");
        Assert.That(read, Has.Count.EqualTo(DeferredRows));
        for (var r = 0; r < DeferredRows; r++)
        {
            // NUnit only for a difference (equal by Equals is equal to NUnit too).
            var readL = Convert.ToInt64(read[r]["l"], CultureInfo.InvariantCulture);
            if (readL != DeferredL(r)) Assert.That(readL, Is.EqualTo(DeferredL(r)), $"row {r}");
            if (!Equals(read[r]["k"], DeferredK(r))) Assert.That(read[r]["k"], Is.EqualTo(DeferredK(r)), $"row {r}");
        }
        using var reader = ParquetDataReader.Open(new LocalFileIO(), deferredPath, DeferredSchema);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            foreach (var (column, id) in new[] { ("l", 4), ("k", 5), ("i", 3) })
            {
                var pages = reader.PageIndex(g, id);
                Assert.That(pages, Is.Not.Null, $"{column} group {g}");
                foreach (var page in pages!)
                {
                    var first = g * 3_000 + (int)page.FirstRow;
                    var span = Enumerable.Range(first, (int)page.RowCount);
                    Assert.That(page.LowerBound, Is.Not.Null, $"{column} group {g} row {first}");
                    switch (column)
                    {
                        case "l":
                            Assert.That(BitConverter.ToInt64(page.LowerBound!), Is.EqualTo(span.Min(DeferredL)));
                            Assert.That(BitConverter.ToInt64(page.UpperBound!), Is.EqualTo(span.Max(DeferredL)));
                            break;
                        case "k":
                            Assert.That(BitConverter.ToDouble(page.LowerBound!), Is.EqualTo(span.Min(DeferredK)));
                            Assert.That(BitConverter.ToDouble(page.UpperBound!), Is.EqualTo(span.Max(DeferredK)));
                            break;
                        default:
                            Assert.That(BitConverter.ToInt32(page.LowerBound!), Is.EqualTo(span.Min(DeferredI)));
                            Assert.That(BitConverter.ToInt32(page.UpperBound!), Is.EqualTo(span.Max(DeferredI)));
                            break;
                    }
                }
            }
        }
    }
}
