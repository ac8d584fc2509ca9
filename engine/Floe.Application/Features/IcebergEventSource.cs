using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Sources;
using Floe.Core.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Features;

/// <summary>
/// Feeds feature computation from an Iceberg table: a scan whose filter is the requested event-time range, so
/// partition pruning (e.g. on <c>day(event_time)</c>) and column bounds skip every file outside the lookback.
/// Optionally pinned to a snapshot, so a backfill reads one consistent table state.
/// </summary>
public sealed class IcebergEventSource : IEventSource
{
    private readonly Table _table;
    private readonly long? _snapshotId;
    // The columns a scan reads (Select); null for all.
    private readonly List<string>? _columns;

    /// <summary>Reads <paramref name="table"/> at <paramref name="snapshotId"/> (default: main's current snapshot).</summary>
    public IcebergEventSource(Table table, long? snapshotId = null)
    {
        _table = table;
        _snapshotId = snapshotId ?? table.Metadata.CurrentSnapshotId;
        Schema = ArrowSchemas.ToArrow(table.Schema);
    }

    private IcebergEventSource(Table table, long? snapshotId, IReadOnlyList<Apache.Arrow.Field> fields)
    {
        _table = table;
        _snapshotId = snapshotId;
        _columns = fields.Select(f => f.Name).ToList();
        Schema = new Apache.Arrow.Schema(fields, null);
    }

    /// <inheritdoc />
    public IEventSource Select(IReadOnlySet<string> columns)
    {
        return SourceColumns.Narrow(Schema, columns) is { } fields ? new IcebergEventSource(_table, _snapshotId, fields) : this;
    }

    /// <inheritdoc />
    public Apache.Arrow.Schema Schema { get; }

    /// <summary>Files the last <see cref="Read"/> planned and skipped.</summary>
    public ScanMetrics? LastScanMetrics { get; private set; }

    /// <summary>True when the table is partitioned by a year/month/day/hour transform of the event-time column.</summary>
    public bool PrunesByTime(string timestampColumn) =>
        SpecFieldOf(timestampColumn, kind => kind is TransformKind.Year or TransformKind.Month or TransformKind.Day or TransformKind.Hour) >= 0;

    // The position in the table's spec of the first partition field over the column whose transform is accepted; -1 if none.
    private int SpecFieldOf(string column, Func<TransformKind, bool> accepts)
    {
        var field = _table.Schema.FindField(column);
        if (field is null) { return -1; }
        var specFields = _table.Spec.Fields;
        for (int i = 0; i < specFields.Count; i++)
        {
            if (specFields[i].SourceId == field.Id && accepts(specFields[i].Transform.Kind)) { return i; }
        }
        return -1;
    }

    /// <inheritdoc />
    public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
    {
        var (scan, tasks, metrics) = Plan(timestampColumn, from, to);
        LastScanMetrics = metrics;
        return scan.ReadBatches(tasks);
    }

    /// <summary>
    /// The record counts of the files a read of the range would plan, summed by their day partition (an hour
    /// partition counts toward its day), when the table's spec has a day or hour transform of the event-time column
    /// and every planned file was written with that spec; otherwise null. Row deletes are not subtracted: an estimate.
    /// </summary>
    public IReadOnlyDictionary<long, long>? EventsPerDay(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
    {
        int position = SpecFieldOf(timestampColumn, kind => kind is TransformKind.Day or TransformKind.Hour);
        if (position < 0) { return null; }
        long unitsPerDay = _table.Spec.Fields[position].Transform.Kind == TransformKind.Day ? 1 : 24;
        var (_, tasks, _) = Plan(timestampColumn, from, to);
        var perDay = new Dictionary<long, long>();
        foreach (var task in tasks)
        {
            long? units = task.File.Partition[position] switch { int i => i, long l => l, _ => null };
            if (task.File.SpecId != _table.Spec.SpecId || units is not { } value) { return null; }
            long day = Math.DivRem(value, unitsPerDay, out long rest);
            if (rest < 0) { day--; }
            perDay[day] = perDay.GetValueOrDefault(day) + task.File.RecordCount;
        }
        return perDay;
    }

    private (TableScan Scan, IReadOnlyList<FileScanTask> Tasks, ScanMetrics Metrics) Plan(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
    {
        var field = _table.Schema.GetField(timestampColumn);
        if (field.Type is not PrimitiveType { Id: TypeId.Timestamp or TypeId.TimestampTz })
        {
            throw Errors.InvalidArgument($"event-time column '{timestampColumn}' of table '{_table.Identifier}' is {field.Type}, not a timestamp");
        }
        var scan = new TableScan(_table);
        if (_snapshotId is { } id) scan = scan.UseSnapshot(id);
        if (_columns is not null) scan = scan.Select(_columns);
        var toMicros = Micros(to);
        Expression filter = BoundPredicate.Bind(_table.Schema, timestampColumn, Operation.Lt, toMicros);
        if (from is { } f)
        {
            filter = Expression.And(BoundPredicate.Bind(_table.Schema, timestampColumn, Operation.GtEq, Micros(f)), filter);
        }
        scan = scan.Filter(filter);
        var (tasks, metrics) = scan.PlanFiles();
        return (scan, tasks, metrics);
    }

    /// <summary>Microseconds since the epoch, exact (a millisecond conversion would drop an event at the bound).</summary>
    private static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
