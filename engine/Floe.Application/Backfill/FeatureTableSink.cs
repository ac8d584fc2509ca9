using Apache.Arrow;
using Floe.Features.Output;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Backfill;

/// <summary>
/// Writes computed feature days straight into a feature table's data folder as Iceberg Parquet data files (field
/// ids, column metrics, the day partition), rolling at the table's target file size. Nothing is committed here: the
/// caller commits <see cref="Files"/>, or calls <see cref="Abort"/>; a killed process leaves the files as orphans
/// no snapshot references.
/// </summary>
internal sealed class FeatureTableSink : IFeatureBatchSink
{
    private static readonly int EpochDay = new DateOnly(1970, 1, 1).DayNumber;

    private readonly Table _table;
    private readonly Floe.Core.Types.Schema _schema;
    private readonly string _schemaJson;
    private readonly PartitionSpec _spec;
    private readonly ParquetWriterOptions _options;
    private readonly long _targetFileSize;
    private readonly string _dataDir;
    private readonly string _writeId = Guid.NewGuid().ToString("N")[..12];
    private readonly Action<DateOnly, long> _dayDone;
    private readonly CancellationToken _cancellation;
    private readonly List<DataFile> _files = new();
    private readonly List<string> _written = new();
    // The day being written and its writer, open until EndDay.
    private RollingDataWriter? _open;
    private DateOnly _openDay;
    private long _openRows;

    /// <param name="table">The feature table (schema = the computed rows' schema, spec = day of the event time).</param>
    /// <param name="options">Parquet writer options (codec and buffer sizes).</param>
    /// <param name="dayDone">Called after each day's files are closed, with the day and its row count.</param>
    /// <param name="cancellation">Checked before each day is written.</param>
    public FeatureTableSink(Table table, ParquetWriterOptions options, Action<DateOnly, long> dayDone, CancellationToken cancellation)
    {
        _table = table;
        _schema = table.Metadata.CurrentSchema;
        _schemaJson = SchemaParser.ToJson(_schema);
        _spec = table.Metadata.DefaultSpec;
        _options = options;
        _targetFileSize = RollingDataWriter.TargetFileSize(table.Metadata.Properties);
        _dataDir = table.Metadata.Properties.TryGetValue("write.data.path", out var p) ? p.TrimEnd('/') : table.Metadata.Location.TrimEnd('/') + "/data";
        _dayDone = dayDone;
        _cancellation = cancellation;
    }

    /// <summary>The data files finished so far, in day order.</summary>
    public IReadOnlyList<DataFile> Files => _files;

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>The day partition tuple of <paramref name="day"/> (days since 1970-01-01).</summary>
    public static PartitionData PartitionOf(DateOnly day) => new([day.DayNumber - EpochDay]);

    /// <inheritdoc />
    /// <remarks>False: each day is written (encoded) before <see cref="WriteDay"/> returns.</remarks>
    public bool KeepsBatches => false;

    /// <inheritdoc />
    public void WriteDay(DateOnly day, RecordBatch rows)
    {
        _cancellation.ThrowIfCancellationRequested();
        if (_open is null)
        {
            var partition = PartitionOf(day);
            var folder = $"{_dataDir}/{TransformFunctions.PartitionPath(_spec, _schema, partition)}";
            _open = new RollingDataWriter(_table.Io, i =>
            {
                var location = $"{folder}/{_writeId}-{i:D5}.parquet";
                _written.Add(location);
                return location;
            }, _schema, _schemaJson, _targetFileSize, _options);
            _openDay = day;
        }
        else if (_openDay != day)
        {
            throw new InvalidOperationException($"rows of {day:yyyy-MM-dd} came before the end of {_openDay:yyyy-MM-dd}");
        }
        _open.Write(rows);
        _openRows += rows.Length;
    }

    /// <inheritdoc />
    /// <remarks>Closes the day's files (a day of many events comes in several batches into the same files).</remarks>
    public void EndDay(DateOnly day)
    {
        if (_open is null || _openDay != day) { return; }
        var writer = _open;
        _open = null;
        long rows = _openRows;
        _openRows = 0;
        using (writer)
        {
            var partition = PartitionOf(day);
            foreach (var file in writer.Close())
            {
                _files.Add(file.Metrics.ToDataFile(file.Location, _schema, partition, _spec.SpecId));
            }
        }
        Rows += rows;
        _dayDone(day, rows);
    }

    /// <summary>Deletes every file written (a run that will not commit them).</summary>
    public void Abort()
    {
        // A failed run may leave a day open: its files are closed before they are deleted.
        _open?.Dispose();
        _open = null;
        foreach (var location in _written)
        {
            try { _table.Io.Delete(location); }
            catch (IOException) { }
        }
        _files.Clear();
    }
}
