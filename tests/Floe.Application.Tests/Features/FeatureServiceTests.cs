using Floe.Application.Demo;
using Floe.Application.Features;
using Floe.Application.Ingest;
using Floe.Core.Errors;
using NUnit.Framework;

namespace Floe.Application.Tests.Features;

[TestFixture]
public sealed class FeatureServiceTests
{
    private const string Definition = """
        {
          "name": "user_txn", "version": 1,
          "entity": ["entity_id"], "timestamp": "event_time",
          "source": {"table": "demo.events"},
          "filter": "amount > 0",
          "features": [
            {"name": "txn_count_1h",   "agg": "count", "window": "1h"},
            {"name": "amount_sum_7d",  "agg": "sum",  "column": "amount", "window": "7d"},
            {"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "1d"},
            {"name": "amount_max_1d",  "agg": "max",  "column": "amount", "window": "1d"},
            {"name": "txn_count_7d",   "agg": "count", "window": "7d"},
            {"name": "avg_ticket_7d",  "expr": "amount_sum_7d / txn_count_7d"}
          ]
        }
        """;

    [Test]
    public void Compute_FromTable_EqualsComputeFromTheSameEventsAsCsv()
    {
        using var w = new TempWarehouse();
        var csv = Path.Combine(w.Directory, "events.csv");
        new EventGenerator { Rows = 20_000, Entities = 300, Days = 6 }.WriteCsv(csv);
        w.Tables.Create("demo.events", EventGenerator.Schema, "day(event_time)");
        w.Ingest.Ingest("demo.events", csv, new IngestOptions());
        var def = w.WriteFile("def.json", Definition);
        var service = new FeatureService(w.Warehouse);
        var from = new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(2);

        var fromTable = service.Compute(def, from, to, null, Path.Combine(w.Directory, "t.csv"));
        var fromCsv = service.Compute(def, from, to, csv, Path.Combine(w.Directory, "c.csv"));

        Assert.That(fromTable.RowsWritten, Is.GreaterThan(0));
        Assert.That(fromTable.RowsWritten, Is.EqualTo(fromCsv.RowsWritten));
        Assert.That(Sorted(Path.Combine(w.Directory, "t.csv")), Is.EqualTo(Sorted(Path.Combine(w.Directory, "c.csv"))));
    }

    /// <summary>
    /// A table partitioned by day is read day by day (pruned scans); an unpartitioned one in a single scan, like
    /// files. Both must give what the CSV of the same events gives.
    /// </summary>
    [TestCase("day(event_time)", true)]
    [TestCase("hour(event_time)", true)]
    [TestCase(null, false)]
    [TestCase("bucket(4, entity_id)", false)]
    public void Compute_AnyPartitioning_EqualsCsvAndPicksTheReadPlan(string? partitioning, bool prunes)
    {
        using var w = new TempWarehouse();
        var csv = Path.Combine(w.Directory, "events.csv");
        new EventGenerator { Rows = 5_000, Entities = 80, Days = 5 }.WriteCsv(csv);
        w.Tables.Create("demo.events", EventGenerator.Schema, partitioning);
        w.Ingest.Ingest("demo.events", csv, new IngestOptions());
        var def = w.WriteFile("def.json", Definition);
        var service = new FeatureService(w.Warehouse);
        var from = new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(3);

        Assert.That(service.OpenTable("demo.events").PrunesByTime("event_time"), Is.EqualTo(prunes));
        var fromTable = service.Compute(def, from, to, null, Path.Combine(w.Directory, "t.csv"));
        var fromCsv = service.Compute(def, from, to, csv, Path.Combine(w.Directory, "c.csv"));

        Assert.That(fromTable.RowsWritten, Is.GreaterThan(0));
        Assert.That(Sorted(Path.Combine(w.Directory, "t.csv")), Is.EqualTo(Sorted(Path.Combine(w.Directory, "c.csv"))));
    }

    /// <summary>
    /// Unbounded windows read all history before the first output day, whose extent is unknown: from a
    /// day-partitioned table that is one scan computed day by day, and it must match the CSV.
    /// </summary>
    [Test]
    public void Compute_UnboundedWindowsFromDayPartitionedTable_EqualsCsv()
    {
        const string lifetime = """
            {
              "name": "user_lifetime", "version": 1,
              "entity": ["entity_id"], "timestamp": "event_time",
              "source": {"table": "demo.events"},
              "features": [
                {"name": "txn_count_all",  "agg": "count", "window": "unbounded"},
                {"name": "amount_sum_all", "agg": "sum", "column": "amount", "window": "unbounded"},
                {"name": "amount_max_all", "agg": "max", "column": "amount", "window": "unbounded"},
                {"name": "first_amount",   "agg": "first", "column": "amount", "window": "unbounded"},
                {"name": "last_3",         "agg": "last_n", "n": 3, "column": "amount", "window": "unbounded"},
                {"name": "amount_sum_1d",  "agg": "sum", "column": "amount", "window": "1d"}
              ]
            }
            """;
        using var w = new TempWarehouse();
        var csv = Path.Combine(w.Directory, "events.csv");
        new EventGenerator { Rows = 6_000, Entities = 70, Days = 8 }.WriteCsv(csv);
        w.Tables.Create("demo.events", EventGenerator.Schema, "day(event_time)");
        w.Ingest.Ingest("demo.events", csv, new IngestOptions());
        var def = w.WriteFile("lifetime.json", lifetime);
        var service = new FeatureService(w.Warehouse);
        var from = new DateTimeOffset(2024, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(2);

        var fromTable = service.Compute(def, from, to, null, Path.Combine(w.Directory, "t.csv"));
        var fromCsv = service.Compute(def, from, to, csv, Path.Combine(w.Directory, "c.csv"));

        Assert.That(fromTable.ReadFrom, Is.Null);
        Assert.That(fromTable.RowsWritten, Is.GreaterThan(0));
        Assert.That(Sorted(Path.Combine(w.Directory, "t.csv")), Is.EqualTo(Sorted(Path.Combine(w.Directory, "c.csv"))));
    }

    [Test]
    public void TableSource_ReadsOnlyTheLookbackPartitions()
    {
        using var w = new TempWarehouse();
        var source = EventsTable(w, 3_000, 10, "day(event_time)");

        var rows = source.Read("event_time", new DateTimeOffset(2024, 1, 4, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 1, 6, 0, 0, 0, TimeSpan.Zero)).Sum(b => b.Length);

        Assert.That(rows, Is.EqualTo(600));
        Assert.That(source.LastScanMetrics!.TotalDataFiles - source.LastScanMetrics.SkippedDataFiles, Is.EqualTo(2));
    }

    /// <summary>
    /// A day-partitioned table tells the batch run how many events each day of a range holds (its files' record
    /// counts), without reading them; a table not partitioned by day or hour of the event time cannot.
    /// </summary>
    [TestCase("day(event_time)")]
    [TestCase("hour(event_time)")]
    public void EventsPerDay_TimePartitionedTable_EachDaysRecordCount(string partition)
    {
        using var w = new TempWarehouse();
        var source = EventsTable(w, 3_000, 10, partition);
        var from = new DateTimeOffset(2024, 1, 4, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2024, 1, 7, 0, 0, 0, TimeSpan.Zero);

        var perDay = source.EventsPerDay("event_time", from, to);

        // What a read of the same range holds, day by day.
        var expected = new Dictionary<long, long>();
        foreach (var batch in source.Read("event_time", from, to))
        {
            var time = (Apache.Arrow.TimestampArray)batch.Column(batch.Schema.GetFieldIndex("event_time"));
            for (int i = 0; i < batch.Length; i++)
            {
                long day = (long)Math.Floor(time.GetValue(i)!.Value / 86_400_000_000.0);
                expected[day] = expected.GetValueOrDefault(day) + 1;
            }
        }
        Assert.That(perDay, Is.EquivalentTo(expected));
        Assert.That(perDay!.Keys.Order(), Is.EqualTo(new long[] { 19_726, 19_727, 19_728 }), "2024-01-04 to 2024-01-06");
    }

    [Test]
    public void EventsPerDay_NotPartitionedByTime_Null()
    {
        using var w = new TempWarehouse();
        var source = EventsTable(w, 500, 3, "bucket(4,entity_id)");

        Assert.That(source.EventsPerDay("event_time", null, new DateTimeOffset(2024, 1, 7, 0, 0, 0, TimeSpan.Zero)), Is.Null);
    }

    // demo.events with generated events of 50 entities from 2024-01-01, partitioned as given, read as a feature source.
    private static IcebergEventSource EventsTable(TempWarehouse w, int rows, int days, string partition)
    {
        var csv = Path.Combine(w.Directory, "events.csv");
        new EventGenerator { Rows = rows, Entities = 50, Days = days }.WriteCsv(csv);
        w.Tables.Create("demo.events", EventGenerator.Schema, partition);
        w.Ingest.Ingest("demo.events", csv, new IngestOptions());
        return (IcebergEventSource)new FeatureService(w.Warehouse).OpenTable("demo.events");
    }

    [Test]
    public void Compute_UnknownSourceTable_FailsNotFound()
    {
        using var w = new TempWarehouse();
        var def = w.WriteFile("def.json", Definition);
        var error = Assert.Throws<FloeException>(() => new FeatureService(w.Warehouse).Compute(def, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null, Path.Combine(w.Directory, "o.csv")));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }

    private static List<string> Sorted(string path) => File.ReadAllLines(path).OrderBy(l => l, StringComparer.Ordinal).ToList();
}
