using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Parquet;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Spec;

/// <summary>
/// <see cref="DataFileMetrics.ToDataFile"/> over what the Parquet writer really measured: counts carried as they are,
/// bounds serialized so that Iceberg's single-value decoding gives back the writer's bounds.
/// </summary>
[TestFixture]
public sealed class DataFileMetricsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-dfm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ToDataFile_AllPrimitiveTypes_BoundsDecodeToTheWriterBounds()
    {
        var path = Path.Combine(_dir, "all.parquet");
        ParquetFileMetrics m;
        using (var writer = new ParquetDataWriter(new LocalFileIO(), path, WriterTestSchemas.AllTypes, "{\"type\":\"struct\"}"))
        {
            using var batch = WriterTestSchemas.AllTypesBatch();
            writer.Write(batch);
            m = writer.Close();
        }

        var dataFile = m.ToDataFile(path, WriterTestSchemas.AllTypes, PartitionData.Empty, 0, sortOrderId: 3);

        Assert.Multiple(() =>
        {
            Assert.That(dataFile.FilePath, Is.EqualTo(path));
            Assert.That(dataFile.RecordCount, Is.EqualTo(4));
            Assert.That(dataFile.FileSizeInBytes, Is.EqualTo(new FileInfo(path).Length));
            Assert.That(dataFile.NullValueCounts, Is.EqualTo(m.NullValueCounts));
            Assert.That(dataFile.SplitOffsets, Is.EqualTo(m.SplitOffsets));
            Assert.That(dataFile.SortOrderId, Is.EqualTo(3));
            Assert.That(dataFile.LowerBounds!.Keys, Is.EquivalentTo(m.LowerBounds.Keys));
            Assert.That(dataFile.UpperBounds!.Keys, Is.EquivalentTo(m.UpperBounds.Keys));
            foreach (var field in WriterTestSchemas.AllTypes.Fields)
            {
                var type = (PrimitiveType)field.Type;
                if (m.LowerBounds.TryGetValue(field.Id, out var lower))
                {
                    Assert.That(Conversions.FromBytes(type, dataFile.LowerBounds[field.Id]), Is.EqualTo(lower), field.Name);
                }
                if (m.UpperBounds.TryGetValue(field.Id, out var upper))
                {
                    Assert.That(Conversions.FromBytes(type, dataFile.UpperBounds[field.Id]), Is.EqualTo(upper), field.Name);
                }
            }
            Assert.That(Conversions.FromBytes(PrimitiveType.String, dataFile.UpperBounds[14]), Is.EqualTo("émoji 🎉"));
        });
    }
}
