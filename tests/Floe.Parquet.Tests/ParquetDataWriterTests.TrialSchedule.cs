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
/// The trials' schedule: after the first few, every 8th page is sampled again, so one page unlike the rest settles
/// the column's encoding only until the next trial, not for the rest of the file.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly Schema BlipSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "blip", false, PrimitiveType.Double),
    });

    // 30,000-row row groups of 64 KiB pages: 8,192 doubles a page, so each row group is pages of 8,192, 8,192, 8,192
    // and 5,424 rows; the 4th page of the file (a trial page) holds rows 24,576-29,999.
    private static readonly ParquetWriterOptions BlipOptions = new()
    {
        ByteStreamSplitSlack = 0.2,
        DictionaryPageBytes = 0,
        DeltaIntegers = true,
        RowGroupRows = 30_000,
        PageBytes = 64 << 10,
    };

    // Noisy doubles (split pays) except the rows of the file's 4th page, which repeat a few values (PLAIN pays).
    private static double Blip(int row) => row is >= 24_576 and < 30_000 ? Picked(row) : Noisy(row + 5_000_000);

    private string WriteBlip(string name, ParquetWriterOptions options) => WriteValues(name, options, 150_000, Blip);

    // Row ids and value(row) for rows [0, rows) in one batch, as the blip column.
    private string WriteValues(string name, ParquetWriterOptions options, int rows, Func<int, double> value)
    {
        var path = Path.Combine(_dir, name);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, BlipSchema, "{}", options);
        var id = new long?[rows];
        var blip = new double?[rows];
        for (var r = 0; r < rows; r++)
        {
            id[r] = r;
            blip[r] = value(r);
        }
        using var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(BlipSchema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, id),
            ArrowTestData.Primitive<double>(DoubleType.Default, blip),
        }, rows);
        writer.Write(batch);
        writer.Close();
        return path;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Write_SplitTrial_OneUnlikePage_SettlesOnlyUntilTheNextTrial(bool withFastTrial)
    {
        var path = WriteBlip("blip.parquet", withFastTrial ? BlipOptions with { FastZstdSlack = 0.05 } : BlipOptions);
        var blip = ChunkEncodings(path).Where(c => c.Column == "blip").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(blip, Has.Count.EqualTo(5));
            // Pages 0-2 split; the trial on page 3 (the few-value rows) turns the column PLAIN.
            Assert.That(blip[0].Encodings, Does.Contain("PLAIN").And.Contain("BYTE_STREAM_SPLIT"), "rg 0");
            Assert.That(blip[1].Encodings, Does.Contain("PLAIN").And.Not.Contain("BYTE_STREAM_SPLIT"), "rg 1: pages 4-7 PLAIN");
            // The next trial, on page 11 (the last of row group 2), finds noisy rows again and splits from there on.
            Assert.That(blip[2].Encodings, Does.Contain("PLAIN").And.Contain("BYTE_STREAM_SPLIT"), "rg 2: pages 8-10 PLAIN, 11 split");
            Assert.That(blip[3].Encodings, Does.Contain("BYTE_STREAM_SPLIT").And.Not.Contain("PLAIN"), "rg 3 split");
            Assert.That(blip[4].Encodings, Does.Contain("BYTE_STREAM_SPLIT").And.Not.Contain("PLAIN"), "rg 4 split");
        });

        // Typed reads: 150,000 rows are too many to box into a dictionary each.
        var count = 0;
        var bad = 0;
        foreach (var row in DuckDb.Rows($"SELECT id, blip FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id"))
        {
            count++;
            if (!DuckDb.Holds<double>(row, 1, Blip(checked((int)row.GetInt64(0))))) bad++;
        }
        Assert.That((count, bad), Is.EqualTo((150_000, 0)), "rows DuckDB reads differently from what was written");

        var floeBad = 0;
        var seen = 0;
        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, BlipSchema);
        foreach (var batch in reader.ReadAll())
        {
            var ids = (Int64Array)batch.Batch.Column(0);
            var values = (DoubleArray)batch.Batch.Column(1);
            for (var r = 0; r < ids.Length; r++, seen++)
            {
                if (values.Values[r] != Blip((int)ids.Values[r])) floeBad++;
            }
        }
        Assert.That((seen, floeBad), Is.EqualTo((150_000, 0)), "rows Floe reads differently");
    }

    // Noisy doubles (split pays, clearly) up to the file's 12th page (row 84,576: the 4th page of row group 2), then
    // a few repeated values (PLAIN pays, clearly).
    private static double Turn(int row) => row >= 84_576 ? Picked(row) : Noisy(row + 5_000_000);

    [Test]
    public void Write_SplitTrial_TwoClearTrialsAgreeing_SkipTheNext()
    {
        const int rows = 180_000;
        var path = WriteValues("turn.parquet", BlipOptions, rows, Turn);
        var chunks = ChunkEncodings(path).Where(c => c.Column == "blip").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(chunks, Has.Count.EqualTo(6));
            // Pages 0 and 3 split the noisy rows clearly: the trial due on page 11 (the first few-value page) is
            // skipped, and pages 11-18 stay split until the trial on page 19 turns the column PLAIN.
            Assert.That(chunks[2].Encodings, Does.Contain("BYTE_STREAM_SPLIT").And.Not.Contain("PLAIN"), "rg 2: pages 8-11 split");
            Assert.That(chunks[3].Encodings, Does.Contain("BYTE_STREAM_SPLIT").And.Not.Contain("PLAIN"), "rg 3: pages 12-15 split");
            Assert.That(chunks[4].Encodings, Does.Contain("BYTE_STREAM_SPLIT").And.Contain("PLAIN"), "rg 4: pages 16-18 split, 19 PLAIN");
            Assert.That(chunks[5].Encodings, Does.Contain("PLAIN").And.Not.Contain("BYTE_STREAM_SPLIT"), "rg 5 PLAIN");
        });
        var bad = 0;
        var count = 0;
        foreach (var row in DuckDb.Rows($"SELECT id, blip FROM read_parquet({DuckDb.Quote(path)}) ORDER BY id"))
        {
            count++;
            if (!DuckDb.Holds<double>(row, 1, Turn(checked((int)row.GetInt64(0))))) bad++;
        }
        Assert.That((count, bad), Is.EqualTo((rows, 0)));
    }
}
