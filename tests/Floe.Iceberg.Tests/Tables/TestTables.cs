using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;
using Floe.Iceberg.Tables;
using Table = Floe.Iceberg.Tables.Table;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;

namespace Floe.Iceberg.Tests.Tables;

/// <summary>A temporary warehouse with an events table (entity_id long, event_time timestamptz, amount double) partitioned by day.</summary>
internal sealed class TestTables : IDisposable
{
    public const long MicrosPerDay = 86_400_000_000L;
    public static readonly long Day0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    public TestTables()
    {
        Directory = Path.Combine(Path.GetTempPath(), "floe-test-" + Guid.NewGuid().ToString("N"));
        Warehouse = new Warehouse(Directory);
    }

    public string Directory { get; }

    public Warehouse Warehouse { get; }

    public static Schema EventsSchema { get; } = new(0, new[]
    {
        new NestedField(1, "entity_id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "amount", false, PrimitiveType.Double),
    });

    public static PartitionSpec DaySpec { get; } = new(0, new[] { new PartitionField(2, 1000, "event_time_day", Transform.Day) });

    public Table CreateEvents(string name = "demo.events", PartitionSpec? spec = null) =>
        Warehouse.CreateTable(TableIdentifier.Parse(name), EventsSchema, spec ?? DaySpec);

    public static RecordBatch Events(IReadOnlyList<(long Entity, long Micros, double? Amount)> rows)
    {
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"));
        var amounts = new DoubleArray.Builder();
        foreach (var (entity, micros, amount) in rows)
        {
            ids.Append(entity);
            times.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10));
            if (amount is { } a) amounts.Append(a); else amounts.AppendNull();
        }
        return new RecordBatch(ArrowSchemas.ToArrow(EventsSchema), new IArrowArray[] { ids.Build(), times.Build(), amounts.Build() }, rows.Count);
    }

    /// <summary>Rows for <paramref name="days"/> (day offsets from 2024-01-01), <paramref name="perDay"/> each, amounts tagged with <paramref name="tag"/>.</summary>
    public static List<(long Entity, long Micros, double? Amount)> Rows(IEnumerable<int> days, int perDay, double tag)
    {
        var rows = new List<(long, long, double?)>();
        foreach (var d in days)
        {
            for (var i = 0; i < perDay; i++) rows.Add((i % 7, Day0 + d * MicrosPerDay + i * 1_000_000L, tag + i));
        }
        return rows;
    }

    public static IReadOnlyList<DataFile> Write(Table table, RecordBatch batch)
    {
        using var writer = new PartitionedWriter(table);
        writer.Write(batch);
        return writer.Complete();
    }

    public static Snapshot Append(Table table, RecordBatch batch)
    {
        var append = new FastAppend(table);
        foreach (var f in Write(table, batch)) append.AppendFile(f);
        return append.Commit();
    }

    public static Snapshot Overwrite(Table table, RecordBatch batch)
    {
        var overwrite = new DynamicPartitionOverwrite(table);
        foreach (var f in Write(table, batch)) overwrite.AddFile(f);
        return overwrite.Commit();
    }

    /// <summary>All rows of a scan as (entity, micros, amount), sorted.</summary>
    public static List<(long Entity, long Micros, double? Amount)> Read(TableScan scan)
    {
        var rows = new List<(long, long, double?)>();
        var (tasks, _) = scan.PlanFiles();
        foreach (var batch in scan.ReadBatches(tasks))
        {
            var ids = (Int64Array)batch.Column(0);
            var times = (TimestampArray)batch.Column(1);
            var amounts = (DoubleArray)batch.Column(2);
            for (var i = 0; i < batch.Length; i++) rows.Add((ids.GetValue(i)!.Value, times.Values[i], amounts.GetValue(i)));
        }
        rows.Sort();
        return rows;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
