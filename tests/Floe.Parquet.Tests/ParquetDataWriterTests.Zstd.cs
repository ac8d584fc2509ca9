using Apache.Arrow;
using Floe.Core.Io;
using Floe.Parquet.Writing;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// Pages compressed by the system libzstd and by ZstdSharp (<see cref="ParquetWriterOptions.ManagedZstd"/>) give files
/// that read back to the same rows, in Floe's reader and in DuckDB.
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    [Test]
    public void Write_NativeAndManagedZstd_ReadBackEqual_DuckDbReadsBoth()
    {
        if (!ZstdEncoder.IsNative) Assert.Ignore("no native libzstd loaded: both would be ZstdSharp");
        var batches = new[] { (0, 40_000), (40_000, 33_333), (73_333, 1), (73_334, 20_000) };
        var native = WriteDoubles("native.parquet", SplitTrial with { ZstdLevel = 2 }, batches);
        var managed = WriteDoubles("managed.parquet", SplitTrial with { ZstdLevel = 2, ManagedZstd = true }, batches);

        using (var a = ParquetDataReader.Open(new LocalFileIO(), native, DoublesSchema))
        using (var b = ParquetDataReader.Open(new LocalFileIO(), managed, DoublesSchema))
        {
            var left = Flatten(a);
            var right = Flatten(b);
            Assert.That(left, Has.Count.EqualTo(DoublesSchema.Fields.Count));
            Assert.That(left[0], Has.Count.EqualTo(93_334));
            for (var c = 0; c < left.Count; c++) Same.Sequence(left[c], right[c], DoublesSchema.Fields[c].Name);
        }

        foreach (var (from, to) in new[] { (native, managed), (managed, native) })
        {
            var differing = DuckDb.Query($"SELECT count(*) AS n FROM (SELECT * FROM read_parquet({DuckDb.Quote(from)}) EXCEPT ALL SELECT * FROM read_parquet({DuckDb.Quote(to)}))")[0]["n"];
            Assert.That(differing, Is.EqualTo(0), $"rows of {Path.GetFileName(from)} missing from the other");
        }
        var check = DuckDb.Query($"SELECT count(*) AS n, count(noisy) AS noisy, sum(id)::BIGINT AS ids FROM read_parquet({DuckDb.Quote(native)})")[0];
        Assert.That(check["n"], Is.EqualTo(93_334L));
        Assert.That(check["noisy"], Is.EqualTo(93_334L - Enumerable.Range(0, 93_334).Count(r => r % 17 == 3)));
        Assert.That(check["ids"], Is.EqualTo(93_334L * 93_333 / 2));
        var codecs = DuckDb.Query($"SELECT DISTINCT compression FROM parquet_metadata({DuckDb.Quote(native)})");
        Assert.That(codecs.Select(r => r["compression"]), Is.EqualTo(new[] { "ZSTD" }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Write_AllTypesEitherZstd_DuckDbReadsTheSameRows(bool managed)
    {
        var path = Path.Combine(_dir, $"all-{managed}.parquet");
        var options = new ParquetWriterOptions { RowGroupRows = 1000, PageBytes = 1024, ManagedZstd = managed };
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{}", options))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            for (var i = 0; i < 501; i++) writer.Write(batch);
            writer.Close();
        }
        var plain = Path.Combine(_dir, "all-plain.parquet");
        using (var writer = new ParquetDataWriter(new LocalFileIO(), plain, WriterTestSchemas.AllTypes, "{}", options with { Codec = ParquetCodec.Uncompressed }))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            for (var i = 0; i < 501; i++) writer.Write(batch);
            writer.Close();
        }
        // The uncompressed file is the reference: the same pages, only not compressed.
        foreach (var (from, to) in new[] { (path, plain), (plain, path) })
        {
            var differing = DuckDb.Query($"SELECT count(*) AS n FROM (SELECT * FROM read_parquet({DuckDb.Quote(from)}) EXCEPT ALL SELECT * FROM read_parquet({DuckDb.Quote(to)}))")[0]["n"];
            Assert.That(differing, Is.EqualTo(0), $"rows of {Path.GetFileName(from)} missing from the other");
        }
        Assert.That(DuckDb.Query($"SELECT count(*) AS n FROM read_parquet({DuckDb.Quote(path)})")[0]["n"], Is.EqualTo(2004L));
    }

    // Every column's values as objects, nulls included, row by row across the file's batches.
    private static List<List<object?>> Flatten(ParquetDataReader reader)
    {
        var columns = new List<List<object?>>();
        foreach (var (batch, _) in reader.ReadAll())
        {
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                if (columns.Count <= c) columns.Add(new List<object?>());
                var column = batch.Column(c);
                for (var r = 0; r < batch.Length; r++)
                {
                    columns[c].Add(column switch
                    {
                        Int64Array x => x.GetValue(r),
                        DoubleArray x => x.GetValue(r),
                        FloatArray x => x.GetValue(r),
                        _ => throw new AssertionException(column.GetType().Name),
                    });
                }
            }
        }
        return columns;
    }
}
