using Apache.Arrow;
using Floe.Core.Io;
using Floe.Parquet;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// The page index Floe writes (ColumnIndex + OffsetIndex): DuckDB still reads the file, Parquet.Net's footer points at
/// both structures, and every page's first row, null count and min/max match the rows written (checked per page
/// against the expected values), plain and dictionary-encoded; a page range decodes to the same values as the full read.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly (string Column, int FieldId)[] BoundedColumns = { ("i", 2), ("l", 3), ("f", 4), ("d", 5), ("ts", 6), ("dt", 7) };

    [TestCase(0, 11)]
    [TestCase(2 << 20, 12)]
    public async Task PageIndex_PagesBoundTheirRows_ReadableByDuckDbAndParquetNet(int dictionaryBytes, int seed)
    {
        var rng = new Random(seed);
        // Few distinct keys keep the dictionary; the first rows sorted, the rest random, so pages differ.
        var keys = new long[5200];
        for (var r = 0; r < keys.Length; r++) keys[r] = r < 2600 ? r / 40 : rng.Next(0, 90) - 20;
        var options = new ParquetWriterOptions { PageRows = 700, RowGroupRows = 3000, DictionaryPageBytes = dictionaryBytes };
        var (path, _, expectedKeys) = WriteNumeric(options, row => keys[row], (0, 1800), (1800, 3400));

        var duck = DuckColumns(path);
        foreach (var c in NumericColumns)
        {
            Assert.That(duck[c], Is.EqualTo(expectedKeys.Select(k => Expected(c, k)).ToList()), c);
        }

        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, NumericSchema);
        await using var stream = File.OpenRead(path);
        await using var parquetNet = await global::Parquet.ParquetReader.CreateAsync(stream);
        Assert.That(reader.RowGroupCount, Is.EqualTo(2));
        var groupStart = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var groupRows = (int)parquetNet.Metadata!.RowGroups[g].NumRows;
            var full = reader.ReadRowGroup(g).Batch;
            foreach (var (column, fieldId) in BoundedColumns)
            {
                var pages = reader.PageIndex(g, fieldId);
                Assert.That(pages, Is.Not.Null, column);
                Assert.That(pages!.Count, Is.EqualTo((groupRows + 699) / 700), column);
                Assert.That(pages.Sum(p => p.RowCount), Is.EqualTo(groupRows));
                var next = 0L;
                for (var p = 0; p < pages.Count; p++)
                {
                    var page = pages[p];
                    Assert.That(page.FirstRow, Is.EqualTo(next), $"{column} page {p}");
                    next += page.RowCount;
                    var values = new List<long>();
                    for (var r = (int)page.FirstRow; r < page.FirstRow + page.RowCount; r++)
                    {
                        if (expectedKeys[groupStart + r] is { } k) values.Add(k);
                    }
                    Assert.That(page.NullCount, Is.EqualTo(page.RowCount - values.Count), $"{column} page {p} nulls");
                    Assert.That(page.LowerBound, Is.Not.Null);
                    // Every value function here increases with the key, so the bounds are those of the extreme keys.
                    Assert.That(Decode(column, page.LowerBound!), Is.EqualTo(Expected(column, values.Min())), $"{column} page {p} min");
                    Assert.That(Decode(column, page.UpperBound!), Is.EqualTo(Expected(column, values.Max())), $"{column} page {p} max");

                    var slice = reader.ReadPages(g, fieldId, p, p + 1);
                    Assert.That(slice, Is.Not.Null);
                    var whole = full.Column(System.Array.FindIndex(NumericSchema.Fields.ToArray(), f => f.Id == fieldId));
                    Assert.That(Render(slice!, 0, slice!.Length), Is.EqualTo(Render(whole, (int)page.FirstRow, (int)page.RowCount)), $"{column} page {p} values");
                }

                // Parquet.Net's footer decoding sees both structures, between the last row group and the footer.
                var chunk = parquetNet.Metadata.RowGroups[g].Columns[fieldId - 1];
                var lastGroup = parquetNet.Metadata.RowGroups[^1];
                var dataEnd = lastGroup.Columns.Max(c => (c.MetaData!.DictionaryPageOffset ?? c.MetaData.DataPageOffset) + c.MetaData.TotalCompressedSize);
                Assert.That(chunk.OffsetIndexOffset, Is.GreaterThanOrEqualTo(dataEnd), column);
                Assert.That(chunk.ColumnIndexOffset, Is.GreaterThanOrEqualTo(dataEnd), column);
                Assert.That(chunk.OffsetIndexLength, Is.GreaterThan(0), column);
                Assert.That(chunk.OffsetIndexOffset + chunk.OffsetIndexLength, Is.LessThan(new FileInfo(path).Length - 8), column);
            }
            // The decimal column gets an offset index but no column index (no page bounds for its kind).
            var decimalPages = reader.PageIndex(g, 8);
            Assert.That(decimalPages, Is.Not.Null);
            Assert.That(decimalPages!.All(p => p.LowerBound is null), Is.True);
            groupStart += groupRows;
        }
    }

    [Test]
    public void PageIndex_Disabled_WritesNone()
    {
        var (path, _, _) = WriteNumeric(new ParquetWriterOptions { PageRows = 100, PageIndex = false }, row => row % 50, (0, 1000));
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, NumericSchema);
        Assert.That(reader.PageIndex(0, 5), Is.Null);
    }

    private static long Decode(string column, byte[] bound) => column switch
    {
        "i" or "dt" => BitConverter.ToInt32(bound),
        "f" => BitConverter.SingleToInt32Bits(BitConverter.ToSingle(bound)),
        "d" => BitConverter.DoubleToInt64Bits(BitConverter.ToDouble(bound)),
        _ => BitConverter.ToInt64(bound),
    };

    private static List<string> Render(IArrowArray array, int from, int count)
    {
        var result = new List<string>(count);
        for (var r = from; r < from + count; r++)
        {
            result.Add(array.IsNull(r) ? "null" : array switch
            {
                Int32Array a => a.Values[r].ToString(System.Globalization.CultureInfo.InvariantCulture),
                Int64Array a => a.Values[r].ToString(System.Globalization.CultureInfo.InvariantCulture),
                FloatArray a => BitConverter.SingleToInt32Bits(a.Values[r]).ToString(System.Globalization.CultureInfo.InvariantCulture),
                DoubleArray a => BitConverter.DoubleToInt64Bits(a.Values[r]).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Date32Array a => a.Values[r].ToString(System.Globalization.CultureInfo.InvariantCulture),
                TimestampArray a => a.Values[r].ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => throw new AssertionException(array.GetType().Name),
            });
        }
        return result;
    }
}
