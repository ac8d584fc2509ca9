using Floe.Core.Io;
using Floe.Parquet.Reading;
using NUnit.Framework;
using Parquet.Meta;

namespace Floe.Parquet.Tests;

/// <summary>
/// Pages are encoded and compressed as they fill, not at the end of the row group: page boundaries follow the page
/// limits whatever the batch sizes, a dictionary dropped mid-row-group leaves the pages that used it intact, and
/// <see cref="ParquetDataWriter.EncodeBufferedPages"/> frees the raw rows while the row group stays open.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    /// <summary>Each page of one column chunk as its header gives it: type, value encoding and value count.</summary>
    private static List<(PageType Type, Encoding Encoding, int Values)> Pages(string path, int rowGroup, string column)
    {
        using var stream = File.OpenRead(path);
        var parquetNet = global::Parquet.ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
        ColumnMetaData meta;
        try
        {
            meta = parquetNet.Metadata!.RowGroups[rowGroup].Columns.Single(c => c.MetaData!.PathInSchema[^1] == column).MetaData!;
        }
        finally
        {
            parquetNet.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        byte[]? buffer = null;
        FlatColumnReader.ReadChunk(stream, meta, ref buffer, out var length);
        var chunk = buffer.AsSpan(0, length).ToArray();
        var pages = new List<(PageType, Encoding, int)>();
        for (var position = 0; position < chunk.Length;)
        {
            var header = FallbackChunkReader.PageHeaderInfo.Parse(chunk.AsSpan(position), out var headerLength);
            pages.Add((header.Type, header.Encoding, header.NumValues));
            position += headerLength + header.CompressedSize;
        }
        return pages;
    }

    [TestCase(7)]
    [TestCase(997)]
    [TestCase(60_000)]
    public void Write_PagesFollowPageLimitsWhateverTheBatchSizes(int batchRows)
    {
        // 4 KiB pages of PLAIN longs hold 512 values; the id column has no nulls, so every page but the last holds
        // exactly 512 rows however the rows arrive.
        var options = new ParquetWriterOptions { DictionaryPageBytes = 0, PageBytes = 4096, RowGroupRows = 50_000 };
        var batches = new List<(int, int)>();
        for (var from = 0; from < 60_000; from += batchRows) batches.Add((from, Math.Min(batchRows, 60_000 - from)));
        var (path, _, keys) = WriteNumeric(options, row => row % 1000, batches.ToArray());
        AssertRoundTrip(path, keys);

        var groups = new[] { 50_000, 10_000 };
        for (var g = 0; g < groups.Length; g++)
        {
            var pages = Pages(path, g, "id");
            Assert.That(pages.All(p => p.Type == PageType.DATA_PAGE && p.Encoding == Encoding.PLAIN), Is.True);
            Assert.That(pages.Select(p => p.Values), Is.EqualTo(Enumerable.Range(0, (groups[g] + 511) / 512).Select(i => Math.Min(512, groups[g] - i * 512))), $"row group {g}");
        }
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, NumericSchema);
        var index = reader.PageIndex(0, 1)!;
        Assert.That(index.Select(p => p.FirstRow), Is.EqualTo(Enumerable.Range(0, index.Count).Select(i => i * 512L)));
    }

    [TestCase(60_000)]
    [TestCase(10_000)]
    public void Write_DictionaryDroppedMidRowGroup_EarlierPagesKeepIt(int firstBatchRows)
    {
        // 1 KiB pages are written long before the 8 KiB dictionary overflows (rows 20,000 on are all distinct).
        var options = new ParquetWriterOptions { DictionaryPageBytes = 8192, RowGroupRows = 50_000, PageBytes = 1024 };
        Func<int, long> key = row => row < 20_000 ? row % 10 : row;
        var batches = new List<(int, int)> { (0, firstBatchRows) };
        if (firstBatchRows < 60_000) batches.Add((firstBatchRows, 60_000 - firstBatchRows));
        var (path, metrics, keys) = WriteNumeric(options, key, batches.ToArray());
        AssertRoundTrip(path, keys);
        foreach (var c in NumericColumns)
        {
            var first = Pages(path, 0, c);
            Assert.That(first[0].Type, Is.EqualTo(PageType.DICTIONARY_PAGE), c);
            var data = first.Skip(1).ToList();
            var dictionaryPages = data.TakeWhile(p => p.Encoding == Encoding.RLE_DICTIONARY).Count();
            Assert.That(dictionaryPages, Is.GreaterThan(0), c);
            Assert.That(data.Count, Is.GreaterThan(dictionaryPages), c);
            Assert.That(data.Skip(dictionaryPages).Select(p => p.Encoding), Has.All.EqualTo(Encoding.PLAIN), c);
            Assert.That(data.Sum(p => p.Values), Is.EqualTo(50_000), c);
            // The file stays PLAIN after the fallback.
            Assert.That(Pages(path, 1, c).Select(p => p.Encoding), Has.All.EqualTo(Encoding.PLAIN), c);
        }
        Assert.That(metrics.UpperBounds[3], Is.EqualTo(keys.Max()!.Value * 1_000_003L - 7));
        Assert.That(metrics.LowerBounds[3], Is.EqualTo(-7L));
    }

    [Test]
    public void EncodeBufferedPages_FreesRawRowsAndKeepsOneRowGroup()
    {
        var path = Path.Combine(_dir, "sealed.parquet");
        var keys = new long?[40_000];
        for (var row = 0; row < keys.Length; row++) keys[row] = row % 13 == 5 ? null : row % 97;
        long retainedBefore, retainedAfter;
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, NumericSchema, "{}", new ParquetWriterOptions()))
        {
            for (var from = 0; from < 40_000; from += 10_000)
            {
                using var batch = NumericBatch(from, 10_000, row => row % 97);
                writer.Write(batch);
                if (from == 20_000)
                {
                    retainedBefore = writer.RetainedBytes;
                    Assert.That(writer.UnencodedBytes, Is.GreaterThan(0));
                    writer.EncodeBufferedPages();
                    retainedAfter = writer.RetainedBytes;
                    Assert.That(writer.UnencodedBytes, Is.Zero);
                    Assert.That(retainedAfter, Is.LessThan(retainedBefore / 2));
                    Assert.That(writer.BufferedRows, Is.EqualTo(30_000));
                }
            }
            writer.Close();
        }
        AssertRoundTrip(path, keys);
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, NumericSchema);
        Assert.That(reader.RowGroupCount, Is.EqualTo(1));
        // The early pages end where the rows were encoded; one dictionary serves the whole chunk.
        var pages = Pages(path, 0, "l");
        Assert.That(pages[0].Type, Is.EqualTo(PageType.DICTIONARY_PAGE));
        Assert.That(pages.Skip(1).Select(p => p.Values), Is.EqualTo(new[] { 30_000, 10_000 }));
        Assert.That(pages.Skip(1).Select(p => p.Encoding), Has.All.EqualTo(Encoding.RLE_DICTIONARY));
        Assert.That(reader.PageIndex(0, 3)!.Select(p => p.FirstRow), Is.EqualTo(new[] { 0L, 30_000L }));
    }
}
