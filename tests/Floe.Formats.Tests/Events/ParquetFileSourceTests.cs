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
