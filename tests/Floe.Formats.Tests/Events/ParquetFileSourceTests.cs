using NUnit.Framework;
using Floe.Features;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Sources;
using Floe.Formats.Events;
using Floe.Features.Tests.Support;
using Floe.Core.Arrow;
using Floe.Core.Io;
using Floe.Parquet;

namespace Floe.Formats.Tests.Events;

public sealed class ParquetFileSourceTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-pfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    /// <summary>Writes <paramref name="batch"/> with Floe's writer, in row groups of <paramref name="rowGroupRows"/>.</summary>
    private string Write(string name, RecordBatch batch, int rowGroupRows)
    {
        var fields = new List<Field>();
        for (int c = 0; c < batch.ColumnCount; c++)
        {
            var f = batch.Schema.GetFieldByIndex(c);
            fields.Add(new Field(f.Name, f.DataType, f.IsNullable, [new(ArrowSchemas.FieldIdKey, (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        }
        var schema = ArrowSchemas.FromArrow(new Schema(fields, null));
        string path = Path.Combine(_dir, name);
        using var writer = new ParquetDataWriter(new LocalFileIO(), path, schema, Floe.Core.Types.SchemaParser.ToJson(schema), new ParquetWriterOptions { RowGroupRows = rowGroupRows });
        writer.Write(new RecordBatch(ArrowSchemas.ToArrow(schema), Enumerable.Range(0, batch.ColumnCount).Select(batch.Column), batch.Length));
        writer.Close();
        return path;
    }

    [Test]
    public void Compute_StreamedRowGroupsAcrossFiles_EqualsComputeOverTheEventsInMemory()
    {
        var ev = TestEvents.Random(5, 4000, 60, 9L * 86_400_000_000L);
        var first = Write("a.parquet", ev.ToBatch(0, 2500), rowGroupRows: 300);
        var second = Write("b.parquet", ev.ToBatch(2500, 1500), rowGroupRows: 700);
        var source = new ParquetFileSource([first, second]);
        var group = FeatureGroup.Compile(TestDefinitions.AllAggregations(), source.Schema);

        var streamed = group.Compute(source.Read("event_time", null, DateTimeOffset.MaxValue), 2);
        var inMemory = group.Compute(ev.ToBatch(), 2);

        ResultComparer.AssertIdentical(inMemory, streamed, "streamed row groups vs one batch");
    }

    /// <summary>
    /// A source selected down to a few columns reads only those (names it lacks are ignored), in the file's order,
    /// with the values the full read gives; selecting every column is the source itself.
    /// </summary>
    [Test]
    public void Select_SomeColumns_ReadsOnlyThoseWithTheSameValues()
    {
        var ev = TestEvents.Random(7, 1000, 20, 2L * 86_400_000_000L);
        var path = Write("a.parquet", ev.ToBatch(), rowGroupRows: 300);
        var full = new ParquetFileSource([path]);
        var names = full.Schema.FieldsList.Select(f => f.Name).ToList();
        Assert.That(names, Has.Count.GreaterThan(3));

        var narrow = full.Select(new HashSet<string> { "amount", "event_time", "entity_id", "no_such_column" });
        var kept = names.Where(n => n is "entity_id" or "event_time" or "amount").ToList();
        Assert.That(narrow.Schema.FieldsList.Select(f => f.Name), Is.EqualTo(kept));
        Assert.That(full.Select(names.ToHashSet()), Is.SameAs(full));

        var all = full.Read("event_time", null, DateTimeOffset.MaxValue).ToList();
        var some = narrow.Read("event_time", null, DateTimeOffset.MaxValue).ToList();
        Assert.That(some, Has.Count.EqualTo(all.Count).And.Count.EqualTo(4));
        for (int b = 0; b < all.Count; b++)
        {
            Assert.That(some[b].ColumnCount, Is.EqualTo(kept.Count));
            Assert.That(some[b].Length, Is.EqualTo(all[b].Length));
            for (int c = 0; c < kept.Count; c++)
            {
                var expected = all[b].Column(names.IndexOf(kept[c]));
                var got = some[b].Column(c);
                Assert.That(got.NullCount, Is.EqualTo(expected.NullCount), $"batch {b}, {kept[c]}: nulls");
                Assert.That(Values(got), Is.EqualTo(Values(expected)), $"batch {b}, {kept[c]}");
            }
        }
    }

    private static object Values(IArrowArray array) => array switch
    {
        PrimitiveArray<long> longs => longs.Values.ToArray(),
        PrimitiveArray<double> doubles => doubles.Values.ToArray(),
        _ => throw new AssertionException($"unexpected column type {array.Data.DataType}"),
    };

    [Test]
    public void Read_SecondFileLacksAColumn_FailsNamingFileAndColumn()
    {
        var ev = TestEvents.Random(6, 200, 5, 86_400_000_000L);
        var full = ev.ToBatch();
        var first = Write("a.parquet", full, 100);
        var narrow = new RecordBatch(new Schema(full.Schema.FieldsList.Where(f => f.Name != "qty"), null),
            Enumerable.Range(0, full.ColumnCount).Where(c => full.Schema.GetFieldByIndex(c).Name != "qty").Select(full.Column), full.Length);
        var second = Write("b.parquet", narrow, 100);
        var source = new ParquetFileSource([first, second]);

        var error = Assert.Throws<FloeException>(() => source.Read("event_time", null, DateTimeOffset.MaxValue).ToList());
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("b.parquet").And.Contain("'qty'"));
    }

    [Test]
    public void Open_NotParquet_FailsNamingTheFile()
    {
        string path = Path.Combine(_dir, "junk.parquet");
        File.WriteAllText(path, "this is not a parquet file at all, just text long enough to have a footer");

        var error = Assert.Throws<FloeException>(() => new ParquetFileSource([path]));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("junk.parquet"));
    }

    [Test]
    public void Open_MissingFile_FailsNotFound()
    {
        var error = Assert.Throws<FloeException>(() => new ParquetFileSource([Path.Combine(_dir, "nope.parquet")]));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }
}
