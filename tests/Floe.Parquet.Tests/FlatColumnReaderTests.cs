using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// The direct flat-column decoder behind <see cref="ParquetDataReader"/>: many pages, nulls, dictionary strings,
/// every codec, type promotion, and row groups flushed early to bound memory.
/// </summary>
[TestFixture]
public sealed class FlatColumnReaderTests
{
    private const int Rows = 5000;
    private string _dir = "";

    private static readonly Schema FileSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "small", false, PrimitiveType.Int),
        new NestedField(3, "ratio", false, PrimitiveType.Float),
        new NestedField(4, "amount", false, PrimitiveType.Double),
        new NestedField(5, "category", false, PrimitiveType.String),
        new NestedField(6, "note", false, PrimitiveType.String),
        new NestedField(7, "ts", true, PrimitiveType.TimestampTz),
    });

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-flat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static int? Small(int i) => i % 7 == 0 ? null : i - 2500;

    private static float? Ratio(int i) => i % 11 == 0 ? null : i / 8f;

    private static double? Amount(int i) => i % 5 == 0 ? null : i * 0.25;

    private static string? Category(int i) => i % 13 == 0 ? null : "cat-" + (i % 6);

    // Unique strings: the dictionary outgrows its limit in the small-dictionary case and falls back to PLAIN.
    private static string? Note(int i) => i % 3 == 0 ? null : "note " + i + new string('x', i % 17);

    private static RecordBatch Batch(int start, int count)
    {
        var ids = new long?[count];
        var small = new int?[count];
        var ratio = new float?[count];
        var amount = new double?[count];
        var category = new string?[count];
        var note = new string?[count];
        var ts = new long?[count];
        for (var k = 0; k < count; k++)
        {
            var i = start + k;
            ids[k] = i;
            small[k] = Small(i);
            ratio[k] = Ratio(i);
            amount[k] = Amount(i);
            category[k] = Category(i);
            note[k] = Note(i);
            ts[k] = 1_700_000_000_000_000L + i;
        }
        var arrow = Floe.Core.Arrow.ArrowSchemas.ToArrow(FileSchema);
        return new RecordBatch(arrow, new[]
        {
            ArrowTestData.Primitive(Int64Type.Default, ids),
            ArrowTestData.Primitive(Int32Type.Default, small),
            ArrowTestData.Primitive(FloatType.Default, ratio),
            ArrowTestData.Primitive(DoubleType.Default, amount),
            ArrowTestData.Strings(category),
            ArrowTestData.Strings(note),
            ArrowTestData.Primitive(new TimestampType(TimeUnit.Microsecond, "UTC"), ts),
        }, count);
    }

    private string Write(ParquetWriterOptions options, bool flushEarly = false)
    {
        var path = Path.Combine(_dir, $"flat-{Guid.NewGuid():N}.parquet");
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, FileSchema, "{}", options);
        for (var start = 0; start < Rows; start += 700)
        {
            using var batch = Batch(start, Math.Min(700, Rows - start));
            writer.Write(batch);
            if (flushEarly && writer.BufferedRows >= 1400)
            {
                Assert.That(writer.BufferedRowGroupBytes, Is.GreaterThan(0));
                writer.FlushRowGroupNow();
                Assert.That(writer.BufferedRows, Is.Zero);
            }
        }
        writer.Close();
        return path;
    }

    [Test]
    public void Write_OneBatchLargerThanRowGroupBytes_SplitsIntoSeveralRowGroups()
    {
        var path = Path.Combine(_dir, $"bytes-{Guid.NewGuid():N}.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, FileSchema, "{}", new ParquetWriterOptions { RowGroupBytes = 1024 }))
        {
            using var batch = Batch(0, Rows);
            writer.Write(batch);
            writer.Close();
        }
        using (var reader = ParquetDataReader.Open(new LocalFileIO(), path))
        {
            Assert.That(reader.RowGroupCount, Is.GreaterThan(1));
        }
        AssertRoundTrip(path, FileSchema);
    }

    private static void AssertRoundTrip(string path, Schema projection)
    {
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, projection);
        var seen = 0;
        foreach (var (batch, firstRow) in reader.ReadAll())
        {
            Assert.That(firstRow, Is.EqualTo(seen));
            for (var c = 0; c < projection.Fields.Count; c++)
            {
                var column = batch.Column(c);
                for (var r = 0; r < batch.Length; r++)
                {
                    var i = seen + r;
                    var name = projection.Fields[c].Name;
                    object? expected = name switch
                    {
                        "id" => (long)i,
                        "small" => projection.Fields[c].Type == PrimitiveType.Long ? (long?)Small(i) : Small(i),
                        "ratio" => projection.Fields[c].Type == PrimitiveType.Double ? (double?)Ratio(i) : Ratio(i),
                        "amount" => Amount(i),
                        "category" => Category(i),
                        "note" => Note(i),
                        "ts" => 1_700_000_000_000_000L + i,
                        _ => throw new AssertionException(name),
                    };
                    object? actual = column switch
                    {
                        Int64Array a => a.GetValue(r),
                        Int32Array a => a.GetValue(r),
                        FloatArray a => a.GetValue(r),
                        DoubleArray a => a.GetValue(r),
                        StringArray a => a.GetString(r),
                        TimestampArray a => a.GetValue(r),
                        _ => throw new AssertionException(column.GetType().Name),
                    };
                    // NUnit (and the message) only for a difference; equal by Equals is equal to NUnit too.
                    if (!Equals(actual, expected)) Assert.That(actual, Is.EqualTo(expected), $"{name} row {i}");
                    if (column.IsNull(r) != expected is null) Assert.That(column.IsNull(r), Is.EqualTo(expected is null), $"{name} row {i} null");
                }
            }
            seen += batch.Length;
        }
        Assert.That(seen, Is.EqualTo(Rows));
    }

    [TestCase(ParquetCodec.Zstd)]
    [TestCase(ParquetCodec.Snappy)]
    [TestCase(ParquetCodec.Gzip)]
    [TestCase(ParquetCodec.Uncompressed)]
    public void ReadAll_ManyPagesNullsAndDictionaries_RoundTripsEveryCodec(ParquetCodec codec)
    {
        var path = Write(new ParquetWriterOptions { Codec = codec, PageBytes = 2048, RowGroupRows = 3000 });
        AssertRoundTrip(path, FileSchema);
    }

    // PLAIN pages of the required columns (id, ts) are decompressed straight into the output array under zstd, the
    // nullable ones through a page buffer: many pages, several row groups, each page landing at its own rows.
    [TestCase(ParquetCodec.Zstd, 2048)]
    [TestCase(ParquetCodec.Zstd, 1 << 20)]
    [TestCase(ParquetCodec.Snappy, 2048)]
    public void ReadAll_PlainPagesOfRequiredColumns_RoundTrip(ParquetCodec codec, int pageBytes)
    {
        var path = Write(new ParquetWriterOptions { Codec = codec, PageBytes = pageBytes, RowGroupRows = 3000, DictionaryPageBytes = 0 });
        AssertRoundTrip(path, FileSchema);
    }

    [TestCase(ParquetCodec.Zstd)]
    [TestCase(ParquetCodec.Snappy)]
    [TestCase(ParquetCodec.Gzip)]
    [NonParallelizable] // sets FlatColumnReader.LargePage, which every reader in the process reads
    public void ReadAll_PagesAboveTheUnpooledSize_RoundTripEveryCodec(ParquetCodec codec)
    {
        var path = Write(new ParquetWriterOptions { Codec = codec, PageBytes = 2048, RowGroupRows = 3000 });
        var saved = Floe.Parquet.Reading.FlatColumnReader.LargePage;
        Floe.Parquet.Reading.FlatColumnReader.LargePage = 1024;
        try
        {
            AssertRoundTrip(path, FileSchema);
        }
        finally
        {
            Floe.Parquet.Reading.FlatColumnReader.LargePage = saved;
        }
    }

    [Test]
    public void ReadAll_DictionaryFallsBackToPlainMidChunk_RoundTrips()
    {
        var path = Write(new ParquetWriterOptions { PageBytes = 4096, DictionaryPageBytes = 512 });
        AssertRoundTrip(path, FileSchema);
    }

    [Test]
    public void ReadAll_ProjectionWithPromotions_ReadsOnlyProjectedColumnsWidened()
    {
        var path = Write(new ParquetWriterOptions { PageBytes = 2048 });
        var projection = new Schema(0, new[]
        {
            new NestedField(4, "amount", false, PrimitiveType.Double),
            new NestedField(2, "small", false, PrimitiveType.Long),
            new NestedField(3, "ratio", false, PrimitiveType.Double),
        });
        AssertRoundTrip(path, projection);
    }

    [Test]
    public void FlushRowGroupNow_EarlyFlushes_WritesSeveralRowGroupsThatRoundTrip()
    {
        var path = Write(new ParquetWriterOptions { PageBytes = 2048 }, flushEarly: true);
        using (var reader = ParquetDataReader.Open(new LocalFileIO(), path, FileSchema))
        {
            Assert.That(reader.RowGroupCount, Is.GreaterThan(1));
        }
        AssertRoundTrip(path, FileSchema);
    }
}
