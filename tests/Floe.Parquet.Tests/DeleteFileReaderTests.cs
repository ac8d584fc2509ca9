using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet.Tests;

[TestFixture]
public sealed class DeleteFileReaderTests
{
    private static string Fixture(string table, string file) => Path.Combine(ParquetFixtures.IcebergRoot(), table, "data", file);

    [Test]
    public void PositionDeleteReader_JavaBunnies_SixPositionsForInitialFile()
    {
        var deletes = PositionDeleteReader.Read(new LocalFileIO(), Fixture("icebird-java-bunnies", "bunnies-pos-deletes.parquet"));
        Assert.That(deletes, Has.Count.EqualTo(1));
        var (path, positions) = deletes.Single();
        Assert.That(path, Does.EndWith("bunnies-initial.parquet"));
        Assert.That(positions, Has.Length.EqualTo(6));
        Assert.That(positions, Is.Ordered.Ascending);
        Assert.That(positions, Has.All.InRange(0L, 20L));
    }

    [Test]
    public void PositionDeleteReader_SparkBunnies_OnePositionAndFilterSkipsOthers()
    {
        var file = Fixture("icebird-spark-bunnies", "00000-3-6fdcdaeb-591f-4ae0-a39a-75c7fba53907-00001-deletes.parquet");
        var deletes = PositionDeleteReader.Read(new LocalFileIO(), file);
        Assert.That(deletes.Values.Sum(p => p.Length), Is.EqualTo(1));
        var filtered = PositionDeleteReader.Read(new LocalFileIO(), file, _ => false);
        Assert.That(filtered, Is.Empty);
    }

    [Test]
    public void PositionDeleteReader_DataFileWithoutDeleteColumns_ThrowsNamingFile()
    {
        var file = Fixture("icebird-java-bunnies", "bunnies-initial.parquet");
        var ex = Assert.Throws<FloeException>(() => PositionDeleteReader.Read(new LocalFileIO(), file));
        Assert.That(ex!.Message, Does.Contain(file));
    }

    [Test]
    public void EqualityDeleteReader_JavaBunnies_DeletesNewZealandByBreedName()
    {
        var schema = new Schema(0, new[]
        {
            new NestedField(1, "Breed Name", false, PrimitiveType.String),
            new NestedField(2, "Popularity Rank", false, PrimitiveType.Long),
        });
        var batches = EqualityDeleteReader.Read(new LocalFileIO(), Fixture("icebird-java-bunnies", "bunnies-eq-delete-new-zealand.parquet"), schema, new[] { 1 }).ToList();
        var names = batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((StringArray)b.Column(0)).GetString(i))).ToList();
        Assert.That(names, Is.EqualTo(new[] { "New Zealand" }));
        Assert.That(batches[0].Schema.FieldsList.Select(f => f.Name), Is.EqualTo(new[] { "Breed Name" }));
    }

    [Test]
    public void EqualityDeleteReader_DuckDbEqDeletes_ReadsIdAndNameKeys()
    {
        var dir = Path.Combine(ParquetFixtures.IcebergRoot(), "duckdb-eqdel-unpartitioned", "data");
        var schema = new Schema(0, new[]
        {
            new NestedField(1, "id", false, PrimitiveType.Int),
            new NestedField(2, "name", false, PrimitiveType.String),
            new NestedField(3, "bir", false, PrimitiveType.Date),
        });
        var seen = new List<string>();
        foreach (var file in Directory.GetFiles(dir, "delete-*.parquet"))
        {
            using var probe = ParquetDataReader.Open(new LocalFileIO(), file);
            var ids = probe.FileSchema.Fields.Select(f => f.Id).ToList();
            foreach (var batch in EqualityDeleteReader.Read(new LocalFileIO(), file, schema, ids))
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    seen.Add(string.Join(",", Enumerable.Range(0, batch.ColumnCount).Select(c => ParquetDataReaderTests.Render(batch.Column(c))[i])));
                }
            }
        }
        Assert.That(seen, Is.EquivalentTo(new[] { "b", "1", "3,c", "f" }));
    }

    [Test]
    public void EqualityDeleteReader_UnknownFieldId_ThrowsInvalidArgument()
    {
        var schema = new Schema(0, new[] { new NestedField(1, "id", false, PrimitiveType.Int) });
        var ex = Assert.Throws<FloeException>(() => EqualityDeleteReader.Read(new LocalFileIO(), "x.parquet", schema, new[] { 9 }));
        Assert.That(ex!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }
}
