using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

[TestFixture]
public sealed class RollingDataWriterTests
{
    private static readonly Schema Schema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "v", false, PrimitiveType.Double),
    });

    private static RecordBatch Batch(int start, int rows)
    {
        var ids = Enumerable.Range(start, rows).Select(i => (long?)i).ToList();
        var values = Enumerable.Range(start, rows).Select(i => (double?)Math.Sin(i)).ToList();
        return new RecordBatch(ArrowSchemas.ToArrow(Schema), new[]
        {
            ArrowTestData.Primitive<long>(Int64Type.Default, ids),
            ArrowTestData.Primitive<double>(DoubleType.Default, values),
        }, rows);
    }

    [Test]
    public void Write_PastTargetSize_RollsToNewFilesKeepingEveryRow()
    {
        var dir = Path.Combine(Path.GetTempPath(), "floe-roll-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new ParquetWriterOptions { RowGroupRows = 10_000, Codec = ParquetCodec.Uncompressed };
            IReadOnlyList<WrittenDataFile> files;
            using (var writer = new RollingDataWriter(new LocalFileIO(), i => Path.Combine(dir, $"f{i}.parquet"), Schema, "{}", 200_000, options))
            {
                for (var b = 0; b < 60; b++) writer.Write(Batch(b * 5_000, 5_000));
                files = writer.Close();
            }
            Assert.That(files.Count, Is.GreaterThan(2));
            Assert.That(files.Sum(f => f.Metrics.RecordCount), Is.EqualTo(300_000));
            long expectedId = 0;
            foreach (var file in files)
            {
                Assert.That(file.Metrics.FileSizeInBytes, Is.EqualTo(new FileInfo(file.Location).Length));
                Assert.That(file.Metrics.FileSizeInBytes, Is.LessThan(200_000 + 5_000 * 16 + 10_000), "rolls within one batch of the target");
                using var reader = ParquetDataReader.Open(new LocalFileIO(), file.Location, Schema);
                Assert.That(file.Metrics.LowerBounds[1], Is.EqualTo(expectedId));
                foreach (var batch in reader.ReadAll())
                {
                    var ids = (Int64Array)batch.Batch.Column(0);
                    // NUnit only for a difference: an Assert.That a row was most of this test's time (300,000 rows).
                    for (var i = 0; i < ids.Length; i++, expectedId++)
                    {
                        if (ids.Values[i] != expectedId) Assert.That(ids.Values[i], Is.EqualTo(expectedId));
                    }
                }
            }
            Assert.That(expectedId, Is.EqualTo(300_000));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TargetFileSize_FromProperties_DefaultsTo512MiB()
    {
        Assert.That(RollingDataWriter.TargetFileSize(null), Is.EqualTo(512L << 20));
        Assert.That(RollingDataWriter.TargetFileSize(new Dictionary<string, string> { ["write.target-file-size-bytes"] = "1024" }), Is.EqualTo(1024));
    }
}
