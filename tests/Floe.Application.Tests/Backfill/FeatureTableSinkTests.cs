using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Application.Backfill;
using Floe.Core.Io;
using Floe.Iceberg.Catalog;
using Floe.Parquet;
using NUnit.Framework;

namespace Floe.Application.Tests.Backfill;

/// <summary>
/// The feature engine gives a day of many events in several batches, then ends the day
/// (<see cref="Floe.Features.Output.IFeatureBatchSink.EndDay"/>): the table sink writes them into the same files of
/// the day's partition, closes them at the day's end, and reports the day once with all its rows.
/// </summary>
[TestFixture]
public sealed class FeatureTableSinkTests
{
    private static readonly DateOnly Day1 = new(2024, 1, 1);
    private static readonly DateOnly Day2 = new(2024, 1, 2);

    [Test]
    public void WriteDay_DayInSeveralBatches_OneDaysFilesHoldingThemInOrderAndOneReport()
    {
        using var w = new TempWarehouse();
        var table = FeatureTable(w);
        var reports = new List<(DateOnly Day, long Rows)>();
        var sink = new FeatureTableSink(table, new ParquetWriterOptions(), (day, rows) => reports.Add((day, rows)), default);

        sink.WriteDay(Day1, Batch(Day1, 0, 300));
        Assert.That(reports, Is.Empty, "a day is reported when it ends");
        sink.WriteDay(Day1, Batch(Day1, 300, 200));
        sink.EndDay(Day1);
        sink.WriteDay(Day2, Batch(Day2, 1000, 50));
        sink.EndDay(Day2);

        Assert.That(reports, Is.EqualTo(new[] { (Day1, 500L), (Day2, 50L) }));
        Assert.That(sink.Rows, Is.EqualTo(550));
        var byDay = sink.Files.GroupBy(f => f.FilePath.Contains("=2024-01-01/", StringComparison.Ordinal) ? Day1 : Day2).ToDictionary(g => g.Key, g => g.ToList());
        Assert.That(byDay.Keys, Is.EquivalentTo(new[] { Day1, Day2 }));
        Assert.That(byDay[Day1].Sum(f => f.RecordCount), Is.EqualTo(500));
        Assert.That(byDay[Day2].Sum(f => f.RecordCount), Is.EqualTo(50));
        // The first day's rows, read back from its files in order, are both batches' rows in the order given.
        var ids = new List<long>();
        foreach (var file in byDay[Day1])
        {
            using var reader = ParquetDataReader.Open(new LocalFileIO(), file.FilePath);
            foreach (var batch in reader.ReadAll())
            {
                var column = (Int64Array)batch.Batch.Column(0);
                for (int i = 0; i < column.Length; i++) { ids.Add(column.GetValue(i)!.Value); }
            }
        }
        Assert.That(ids, Is.EqualTo(Enumerable.Range(0, 500).Select(i => (long)i)));
    }

    [Test]
    public void Abort_WithADayStillOpen_ClosesAndDeletesItsFiles()
    {
        using var w = new TempWarehouse();
        var table = FeatureTable(w);
        var sink = new FeatureTableSink(table, new ParquetWriterOptions(), (_, _) => { }, default);
        sink.WriteDay(Day1, Batch(Day1, 0, 100));
        sink.EndDay(Day1);
        sink.WriteDay(Day2, Batch(Day2, 100, 100));
        var data = Path.Combine(w.Directory, "warehouse", "f", "daily", "data");
        Assert.That(Directory.GetFiles(data, "*.parquet", SearchOption.AllDirectories), Has.Length.EqualTo(2), "one finished day and one open");

        sink.Abort();

        Assert.That(Directory.GetFiles(data, "*.parquet", SearchOption.AllDirectories), Is.Empty);
        Assert.That(sink.Files, Is.Empty);
    }

    [Test]
    public void WriteDay_NextDayBeforeTheEnd_Throws()
    {
        using var w = new TempWarehouse();
        var table = FeatureTable(w);
        var sink = new FeatureTableSink(table, new ParquetWriterOptions(), (_, _) => { }, default);
        sink.WriteDay(Day1, Batch(Day1, 0, 10));

        Assert.That(() => sink.WriteDay(Day2, Batch(Day2, 10, 10)), Throws.InvalidOperationException.With.Message.Contains("2024-01-01"));
        sink.Abort();
    }

    private static Floe.Iceberg.Tables.Table FeatureTable(TempWarehouse w)
    {
        w.Tables.Create("f.daily", "entity_id:long,event_time:timestamptz,v:double", "day(event_time)");
        return w.Warehouse.LoadTable(TableIdentifier.Parse("f.daily"));
    }

    // Rows with entity ids first, first + 1, ...; times inside the day.
    private static RecordBatch Batch(DateOnly day, long first, int rows)
    {
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var values = new DoubleArray.Builder();
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        for (int i = 0; i < rows; i++)
        {
            ids.Append(first + i);
            times.Append(midnight.AddSeconds(i));
            values.Append(i * 0.5);
        }
        var schema = new Schema.Builder()
            .Field(f => f.Name("entity_id").DataType(Int64Type.Default).Nullable(true))
            .Field(f => f.Name("event_time").DataType(new TimestampType(TimeUnit.Microsecond, "UTC")).Nullable(true))
            .Field(f => f.Name("v").DataType(DoubleType.Default).Nullable(true))
            .Build();
        return new RecordBatch(schema, [ids.Build(), times.Build(), values.Build()], rows);
    }
}
