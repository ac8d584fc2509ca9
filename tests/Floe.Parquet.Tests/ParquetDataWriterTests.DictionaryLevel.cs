using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Io;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// Where the fast zstd level is tried (<see cref="ParquetWriterOptions.FastZstdSlack"/>), a numeric column's
/// dictionary-encoded data pages take the fast level outright: bit-packed indices leave Huffman coding little to earn.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly Schema IndexSchema = new(0, [new NestedField(1, "d", false, PrimitiveType.Double)]);

    // 64 random doubles: the dictionary page is incompressible, so zstd stores it as it is at any level and only the
    // data pages can tell the levels apart.
    private static double IndexValue(int row)
    {
        var index = (int)Math.Min(63, Math.Floor(-Math.Log(1 - RowNoise.Unit(row + 5_000_000)) * 3));
        return RowNoise.Unit(index + 9_000_000) * 1e6;
    }

    private string WriteIndexed(string name, ParquetWriterOptions options)
    {
        var path = Path.Combine(_dir, name);
        var values = new double?[60_000];
        for (var r = 0; r < values.Length; r++) values[r] = IndexValue(r);
        using var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(IndexSchema),
            [ArrowTestData.Primitive<double>(DoubleType.Default, values)], values.Length);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, IndexSchema, "{}", options);
        writer.Write(batch);
        writer.Close();
        return path;
    }

    [Test]
    public void Write_FastTrial_DictionaryPagesAtTheFastLevel_DuckDbReadsSameValues()
    {
        var options = new ParquetWriterOptions { ZstdLevel = 2, PageBytes = 8 << 10 };
        var normal = ColumnBytes(WriteIndexed("normal.parquet", options))["d"];
        var fast = ColumnBytes(WriteIndexed("fast.parquet", options with { ZstdLevel = -1 }))["d"];
        var path = WriteIndexed("trial.parquet", options with { FastZstdSlack = 0.05 });
        var trial = ColumnBytes(path)["d"];

        // The premise: skewed 6-bit indices are smaller Huffman coded, so the two levels write different pages.
        Assert.That(fast, Is.GreaterThan(normal), "fast level larger than level 2 on these indices");
        Assert.That(trial, Is.EqualTo(fast), "dictionary pages compressed at the fast level");
        var encodings = DuckDb.Query($"SELECT encodings FROM parquet_metadata({DuckDb.Quote(path)})").Single()["encodings"];
        Assert.That(encodings, Does.Contain("RLE_DICTIONARY"));
        var bad = 0;
        var count = 0;
        foreach (var row in DuckDb.Rows($"SELECT d FROM read_parquet({DuckDb.Quote(path)})"))
        {
            if (!DuckDb.Holds<double>(row, 0, IndexValue(count))) bad++;
            count++;
        }
        Assert.That((count, bad), Is.EqualTo((60_000, 0)));
    }
}
