using Apache.Arrow;

namespace Floe.Features.Sources;

/// <summary>
/// Where a batch computation reads events from. Implementations exist for CSV and Parquet files; the Iceberg table
/// source (a scan with a time-range filter) is provided by the host over this same interface.
/// </summary>
public interface IEventSource
{
    /// <summary>The schema of the batches <see cref="Read"/> yields.</summary>
    Schema Schema { get; }

    /// <summary>
    /// Yields batches holding at least every event whose <paramref name="timestampColumn"/> value is in
    /// [<paramref name="from"/>, <paramref name="to"/>) (null <paramref name="from"/>: no lower bound). Extra rows are
    /// allowed (the engine filters by time); every batch must have <see cref="Schema"/>.
    /// </summary>
    IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to);

    /// <summary>
    /// Whether reading a range of <paramref name="timestampColumn"/> costs in proportion to the range (a table
    /// partitioned by time, where a scan prunes the rest): a batch run then reads one day at a time, holding one day
    /// plus the windows' state. Otherwise (files, where every read scans everything) it reads once, keeping the
    /// events compactly encoded.
    /// </summary>
    bool PrunesByTime(string timestampColumn) => false;

    /// <summary>
    /// About how many events each UTC day of [<paramref name="from"/>, <paramref name="to"/>) holds, keyed by days
    /// since 1970-01-01, where the source knows it without reading the events (a day-partitioned table's files'
    /// record counts); null otherwise. A batch run that reads day by day sizes the windows' event store from it once.
    /// </summary>
    IReadOnlyDictionary<long, long>? EventsPerDay(string timestampColumn, DateTimeOffset? from, DateTimeOffset to) => null;

    /// <summary>
    /// This source reading only its columns named in <paramref name="columns"/> (those a computation reads: entity,
    /// time, filter, aggregated and expression columns), where it can leave the others undecoded; itself otherwise.
    /// The result's <see cref="Schema"/> and batches hold just those columns.
    /// </summary>
    IEventSource Select(IReadOnlySet<string> columns) => this;
}
