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
/// A dictionary-encoded double column's page bounds are taken through its indices (four gathers at a time where the
/// CPU has AVX2, the scalar loop for NaN and short pages): every page's min and max must be those of its non-NaN
/// values, through negative values, both zeros, infinities, pages holding NaN and pages shorter than a vector block.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    private static readonly double[] BoundValues = { -3.5, -0.0, 0.0, 1.25, 7.0, 1e300, double.NegativeInfinity, double.PositiveInfinity, 42.5, -1e-300 };

    // Few distinct values (the dictionary stays); each page of 103 rows draws from a window of them that moves with the
    // page, so pages differ in their extremes; rows 1200-1299 hold a NaN every 9th row; infinities only in some pages.
    private static double BoundValue(int r)
    {
        if (r is >= 1200 and < 1300 && r % 9 == 0) return double.NaN;
        var page = r / 103;
        var pick = (page + (r * 7 % (3 + page % 5))) % BoundValues.Length;
        return page % 4 == 3 && BoundValues[pick] is double.NegativeInfinity or double.PositiveInfinity ? 2.0 : BoundValues[pick];
    }

    [Test]
    public void PageIndex_DictionaryDoublePages_BoundTheirNonNaNValues()
    {
        const int rows = 2_500;
        var schema = new Schema(0, new[] { new NestedField(1, "v", true, PrimitiveType.Double) });
        var options = new ParquetWriterOptions { PageRows = 103, RowGroupRows = 1_500, DictionaryPageBytes = 1 << 20 };
        var path = Path.Combine(_dir, "dictionary-bounds.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, "{}", options))
        {
            // Batches that do not line up with pages, so pages are assembled from several appends.
            for (var from = 0; from < rows;)
            {
                var count = Math.Min(rows - from, 61 + from % 170);
                var values = new double?[count];
                for (var i = 0; i < count; i++) values[i] = BoundValue(from + i);
                using var batch = new RecordBatch(Floe.Core.Arrow.ArrowSchemas.ToArrow(schema), new[] { ArrowTestData.Primitive<double>(DoubleType.Default, values) }, count);
                writer.Write(batch);
                from += count;
            }
            writer.Close();
        }
        var chunks = ChunkEncodings(path);
        Assert.That(chunks.All(c => c.HasDictionary), Is.True, "the column stays dictionary encoded");

        using var reader = ParquetDataReader.Open(new LocalFileIO(), path, schema);
        var checkedPages = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var pages = reader.PageIndex(g, 1);
            Assert.That(pages, Is.Not.Null);
            foreach (var page in pages!)
            {
                var first = g * 1_500 + (int)page.FirstRow;
                var values = Enumerable.Range(first, (int)page.RowCount).Select(BoundValue).Where(v => !double.IsNaN(v)).ToArray();
                Assert.That(page.LowerBound, Is.Not.Null, $"group {g} row {first}");
                Assert.That(BitConverter.ToDouble(page.LowerBound!), Is.EqualTo(values.Min()), $"group {g} row {first} min");
                Assert.That(BitConverter.ToDouble(page.UpperBound!), Is.EqualTo(values.Max()), $"group {g} row {first} max");
                checkedPages++;
            }
        }
        Assert.That(checkedPages, Is.EqualTo(15 + 10));
    }
}
