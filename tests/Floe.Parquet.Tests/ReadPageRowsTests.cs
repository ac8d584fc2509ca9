using Apache.Arrow;
using Floe.Core.Io;
using Floe.Parquet.Reading;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// <see cref="ParquetDataReader.ReadPageRows"/> (late materialisation's selective decode: selected dictionary indices
/// unpacked where they sit, definition levels as a bitmap) against <see cref="ParquetDataReader.ReadPages"/> of the
/// same pages, every column including strings and nulls, page layouts swept, selections from one row to all rows;
/// and <see cref="RleHybrid.DecodeAt"/> against a full decode for every bit width.
/// </summary>
[TestFixture]
public sealed class ReadPageRowsTests
{
    [TestCaseSource(typeof(FoldColumnTests), nameof(FoldColumnTests.Layouts))]
    public void ReadPageRows_EqualsReadPagesAtTheSelectedRows(ParquetWriterOptions options)
    {
        var path = LayoutFiles.Get(options);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, FoldColumnTests.FileSchema);
        var rng = new Random(21);
        var checkedRuns = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            foreach (var field in FoldColumnTests.FileSchema.Fields)
            {
                if (reader.PageIndex(g, field.Id) is not { Count: > 0 } pages) continue;
                foreach (var (firstPage, endPage) in new[] { (0, pages.Count), (pages.Count / 2, pages.Count / 2 + 1), (Math.Max(0, pages.Count - 3), pages.Count) })
                {
                    if (endPage > pages.Count || firstPage >= endPage) continue;
                    var whole = reader.ReadPages(g, field.Id, firstPage, endPage);
                    if (whole is null) continue; // layouts the flat reader leaves to the general one
                    foreach (var density in new[] { 0.0005, 0.02, 0.5, 1.0 })
                    {
                        var rows = new List<int>();
                        for (var r = 0; r < whole.Length; r++)
                        {
                            if (density >= 1 || rng.NextDouble() < density) rows.Add(r);
                        }
                        if (rows.Count == 0) rows.Add(whole.Length - 1);
                        var taken = reader.ReadPageRows(g, field.Id, firstPage, endPage, rows.ToArray());
                        if (taken is null) continue; // delta and byte-stream-split pages are decoded whole by the caller
                        AssertRows(whole, rows, taken, $"{field.Name} rg {g} pages [{firstPage}, {endPage}) {rows.Count} rows");
                        checkedRuns++;
                    }
                }
            }
        }
        Assert.That(checkedRuns, Is.GreaterThan(0));
    }

    /// <summary>
    /// Every page above <see cref="FlatColumnReader.LargePage"/> (lowered to 64 bytes), so each chunk's pages, of
    /// differing sizes, share one reused decompression buffer: whole pages, selected rows (one row, 2%, 50%, all)
    /// and whole row groups equal the same file read with every page in a pooled buffer of its own.
    /// </summary>
    [TestCaseSource(typeof(FoldColumnTests), nameof(FoldColumnTests.Layouts))]
    [NonParallelizable] // sets FlatColumnReader.LargePage, which every reader in the process reads
    public void ReadPageRows_PagesInOneReusedBuffer_EqualPooledPages(ParquetWriterOptions options)
    {
        var path = LayoutFiles.Get(options);
        var rng = new Random(34);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, FoldColumnTests.FileSchema);
        var expected = new List<(int Group, int Field, IArrowArray Whole, IArrowArray Column)>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var columns = reader.ReadRowGroup(g).Batch;
            for (var f = 0; f < FoldColumnTests.FileSchema.Fields.Count; f++)
            {
                var id = FoldColumnTests.FileSchema.Fields[f].Id;
                if (reader.PageIndex(g, id) is not { Count: > 0 } pages || reader.ReadPages(g, id, 0, pages.Count) is not { } whole) continue;
                expected.Add((g, f, whole, columns.Column(f)));
            }
        }
        Assert.That(expected, Is.Not.Empty);
        var saved = FlatColumnReader.LargePage;
        FlatColumnReader.LargePage = 64;
        try
        {
            var checkedRuns = 0;
            foreach (var (g, f, whole, column) in expected)
            {
                var id = FoldColumnTests.FileSchema.Fields[f].Id;
                var name = FoldColumnTests.FileSchema.Fields[f].Name;
                var pages = reader.PageIndex(g, id)!;
                var all = Enumerable.Range(0, whole.Length).ToList();
                AssertRows(whole, all, reader.ReadPages(g, id, 0, pages.Count)!, $"{name} rg {g}: whole pages");
                AssertRows(column, all, reader.ReadRowGroup(g).Batch.Column(f), $"{name} rg {g}: row group");
                foreach (var density in new[] { 0.0, 0.02, 0.5, 1.0 })
                {
                    var rows = new List<int>();
                    for (var r = 0; r < whole.Length; r++)
                    {
                        if (density >= 1 || rng.NextDouble() < density) rows.Add(r);
                    }
                    if (rows.Count == 0) rows.Add(rng.Next(whole.Length));
                    if (reader.ReadPageRows(g, id, 0, pages.Count, rows.ToArray()) is not { } taken) continue;
                    AssertRows(whole, rows, taken, $"{name} rg {g}: {rows.Count} rows");
                    checkedRuns++;
                }
            }
            Assert.That(checkedRuns, Is.GreaterThan(0));
        }
        finally
        {
            FlatColumnReader.LargePage = saved;
        }
    }

    [Test]
    public void DecodeAt_RandomPositionsEveryWidth_EqualsFullDecode()
    {
        var rng = new Random(5);
        for (var width = 0; width <= 32; width++)
        {
            var (data, count) = RandomStream(rng, width);
            var all = new int[count];
            RleHybrid.Decode(data, width, all);
            foreach (var density in new[] { 0.01, 0.3, 1.0 })
            {
                var positions = Enumerable.Range(0, count).Where(_ => density >= 1 || rng.NextDouble() < density).ToArray();
                var target = new int[positions.Length];
                RleHybrid.DecodeAt(data, width, positions, target);
                Assert.That(target, Is.EqualTo(positions.Select(p => all[p]).ToArray()), $"width {width}, {positions.Length} of {count}");
            }
        }
    }

    private static void AssertRows(IArrowArray whole, List<int> rows, IArrowArray taken, string what)
    {
        Assert.That(taken.Length, Is.EqualTo(rows.Count), what);
        // Compared directly, NUnit asked only about a row that differs (it then fails with its usual message): an
        // Assert.That a row, with its message built each time, cost most of this suite's CPU.
        for (var k = 0; k < rows.Count; k++)
        {
            var r = rows[k];
            if (taken.IsNull(k) != whole.IsNull(r)) Assert.That(taken.IsNull(k), Is.EqualTo(whole.IsNull(r)), $"{what}: null at {r}");
            if (whole.IsNull(r)) continue;
            if (whole is StringArray wholeStrings && taken is StringArray takenStrings)
            {
                if (!string.Equals(takenStrings.GetString(k), wholeStrings.GetString(r), StringComparison.Ordinal))
                {
                    Assert.That(takenStrings.GetString(k), Is.EqualTo(wholeStrings.GetString(r)), $"{what}: row {r}");
                }
                continue;
            }
            if (whole is not StringArray && taken is not StringArray && Value(taken, k).SequenceEqual(Value(whole, r))) continue;
            object? expected = whole switch
            {
                StringArray s => s.GetString(r),
                _ => Bytes(whole, r),
            };
            object? actual = taken switch
            {
                StringArray s => s.GetString(k),
                _ => Bytes(taken, k),
            };
            Assert.That(actual, Is.EqualTo(expected), $"{what}: row {r}");
        }
    }

    private static byte[] Bytes(IArrowArray array, int row) => Value(array, row).ToArray();

    private static ReadOnlySpan<byte> Value(IArrowArray array, int row)
    {
        var width = ((Apache.Arrow.Types.FixedWidthType)array.Data.DataType).BitWidth / 8;
        return array.Data.Buffers[1].Span.Slice((array.Offset + row) * width, width);
    }

    /// <summary>A hybrid stream of random RLE and bit-packed runs at <paramref name="width"/> bits, and its value count.</summary>
    private static (byte[] Data, int Count) RandomStream(Random rng, int width)
    {
        var data = new List<byte>();
        var count = 0;
        var byteWidth = (width + 7) / 8;
        for (var run = 0; run < 40; run++)
        {
            if (rng.Next(2) == 0)
            {
                var n = rng.Next(1, 200);
                WriteVarint(data, (ulong)n << 1);
                var value = width == 0 ? 0 : (long)((ulong)rng.NextInt64() & (width == 32 ? uint.MaxValue : (1UL << width) - 1));
                for (var b = 0; b < byteWidth; b++) data.Add((byte)(value >> (8 * b)));
                count += n;
            }
            else
            {
                var groups = rng.Next(1, 20);
                WriteVarint(data, ((ulong)groups << 1) | 1);
                var bytes = new byte[groups * width];
                rng.NextBytes(bytes);
                data.AddRange(bytes);
                count += groups * 8;
            }
        }
        return (data.ToArray(), count);
    }

    private static void WriteVarint(List<byte> data, ulong value)
    {
        while (value >= 0x80)
        {
            data.Add((byte)(value | 0x80));
            value >>= 7;
        }
        data.Add((byte)value);
    }
}
