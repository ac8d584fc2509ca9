using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Catalog.Rest.Tests;

/// <summary>An events table (entity_id long, event_time timestamptz, amount double) partitioned by day, and its rows.</summary>
internal static class Events
{
    private const long MicrosPerDay = 86_400_000_000L;
    private static readonly long Day0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    public static Schema Schema { get; } = new(0, new[]
    {
        new NestedField(1, "entity_id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "amount", false, PrimitiveType.Double),
    });

    public static PartitionSpec DaySpec { get; } = new(0, new[] { new PartitionField(2, 1000, "event_time_day", Transform.Day) });

    public static Table Create(Warehouse warehouse, string name = "demo.events") =>
        warehouse.CreateTable(TableIdentifier.Parse(name), Schema, DaySpec);

    /// <summary>Rows for <paramref name="days"/> (offsets from 2024-01-01), <paramref name="perDay"/> each.</summary>
    public static RecordBatch Batch(IEnumerable<int> days, int perDay, double tag)
    {
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"));
        var amounts = new DoubleArray.Builder();
        var n = 0;
        foreach (var d in days)
        {
            for (var i = 0; i < perDay; i++)
            {
                ids.Append(i % 7);
                times.Append(DateTimeOffset.UnixEpoch.AddTicks((Day0 + d * MicrosPerDay + i * 1_000_000L) * 10));
                amounts.Append(tag + i);
                n++;
            }
        }
        return new RecordBatch(ArrowSchemas.ToArrow(Schema), new IArrowArray[] { ids.Build(), times.Build(), amounts.Build() }, n);
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

    public static long Count(Table table)
    {
        var scan = new TableScan(table.Refresh());
        var (tasks, _) = scan.PlanFiles();
        long rows = 0;
        foreach (var batch in scan.ReadBatches(tasks)) rows += batch.Length;
        return rows;
    }
}
