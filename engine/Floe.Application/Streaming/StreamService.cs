using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Floe.Application.Features;
using Floe.Application.Ingest;
using Floe.Core.Errors;
using Floe.Features;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Transactions;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Streaming;

/// <summary>
/// Runs a feature group over a stream of events with the same engine as batch: each micro-batch's features go to the
/// online store (hot), and the raw events are appended to the definition's source table (cold), committed every N
/// events or T seconds with the stream position in the snapshot summary. On start, the last committed position is
/// found in the table's history and the windows' state is rebuilt from the raw events the windows still need, so a
/// restarted stream neither loses nor double-counts an event: what was committed is skipped, the rest is replayed.
/// </summary>
public sealed class StreamService
{
    /// <summary>Snapshot summary property: which stream committed the snapshot.</summary>
    public const string StreamIdProperty = "floe.stream.id";

    /// <summary>Snapshot summary property: the stream position of the last event the snapshot holds.</summary>
    public const string PositionProperty = "floe.stream.position";

    /// <summary>Snapshot summary property: the newest event time (µs) the stream had seen when it committed.</summary>
    public const string MaxEventTimeProperty = "floe.stream.max-event-time-us";

    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over <paramref name="warehouse"/>.</summary>
    public StreamService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>
    /// Streams <paramref name="source"/> through the definition at <paramref name="definitionPath"/> until the
    /// source ends or <paramref name="cancellation"/> fires (then what is buffered is committed and the run returns).
    /// </summary>
    public StreamResult Run(string definitionPath, IStreamSource source, StreamOptions options, IOnlineWriter? online, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var definition = DefinitionFiles.Parse(definitionPath);
        return Run(definition, source, options, online, cancellation);
    }

    /// <summary>Streams <paramref name="source"/> through <paramref name="definition"/>; see the path overload.</summary>
    public StreamResult Run(FeatureGroupDefinition definition, IStreamSource source, StreamOptions options, IOnlineWriter? online, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (definition.Source?.Table is not { } tableName)
        {
            throw Errors.InvalidArgument($"feature group '{definition.Name}': streaming needs a definition whose source is a table (the raw events are appended to it)");
        }
        if (options.CommitEveryEvents < 1) throw Errors.InvalidArgument($"commit-every-events must be at least 1, got {options.CommitEveryEvents}");
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        var run = new StreamRun(definition, table, source, options, online, options.StreamId ?? source.Id);
        return run.Execute(cancellation);
    }

    /// <summary>The last committed position of stream <paramref name="streamId"/> on main, with the newest event time it had seen.</summary>
    public static (string? Position, long MaxEventMicros) LastCommit(Table table, string streamId)
    {
        ArgumentNullException.ThrowIfNull(table);
        var metadata = table.Refresh().Metadata;
        foreach (var snapshot in SnapshotAncestry.Ancestors(metadata, metadata.CurrentSnapshot))
        {
            if (snapshot.Summary.TryGetValue(StreamIdProperty, out var id) && id == streamId &&
                snapshot.Summary.TryGetValue(PositionProperty, out var position))
            {
                var max = snapshot.Summary.TryGetValue(MaxEventTimeProperty, out var m) ? long.Parse(m, CultureInfo.InvariantCulture) : long.MinValue;
                return (position, max);
            }
        }
        return (null, long.MinValue);
    }

    /// <summary>One run's state.</summary>
    private sealed class StreamRun(FeatureGroupDefinition definition, Table table, IStreamSource source, StreamOptions options, IOnlineWriter? online, string streamId)
    {
        private readonly JsonEventDecoder _decoder = new(table.Schema);
        private readonly List<RecordBatch> _pending = new();
        private FeatureStream _stream = null!;
        private int _timeColumn;
        private long _maxSeen = long.MinValue;
        private long _pendingEvents;
        private string? _lastPosition;
        private string? _committed;
        private long _events, _skipped, _rejected, _featureRows, _rebuilt;
        private int _commits;
        private StreamWriter? _deadLetter;
        private readonly Stopwatch _sinceCommit = Stopwatch.StartNew();

        private long LatenessMicros => options.AllowedLateness.Ticks / 10;

        public StreamResult Execute(CancellationToken cancellation)
        {
            var group = FeatureGroup.Compile(definition, _decoder.ArrowSchema);
            _stream = group.OpenStream();
            _timeColumn = _decoder.ArrowSchema.GetFieldIndex(definition.Timestamp);
            (_committed, _maxSeen) = LastCommit(table, streamId);
            _lastPosition = _committed;
            // A stream that never committed still starts from the events already in the table (a batch ingest, another
            // stream): the windows need them, as the batch engine would see them. Their newest time bounds the lookback.
            if (_committed is null) _maxSeen = NewestEventTime();
            if (_maxSeen != long.MinValue) Rebuild();
            try
            {
                var ended = false;
                while (!ended && !cancellation.IsCancellationRequested)
                {
                    ended = ReadMicroBatch(cancellation);
                    if (_decoder.Count > 0) Process(_decoder.TakeBatch());
                    if (_pendingEvents >= options.CommitEveryEvents || (_pendingEvents > 0 && _sinceCommit.Elapsed >= options.CommitEvery)) Commit();
                }
                if (ended)
                {
                    // A finite stream is over: every buffered event's features are final.
                    WriteOnline(_stream.Flush());
                }
                Commit();
            }
            finally
            {
                _deadLetter?.Dispose();
            }
            return new StreamResult(_events, _skipped, _rejected, _stream.LateEvents, _featureRows, _commits, _committed, _rebuilt);
        }

        /// <summary>Feeds the windows the committed events they still need, emitting (and discarding) what was already served.</summary>
        private void Rebuild()
        {
            long longest = definition.LongestWindowMicros;
            bool everything = longest == long.MaxValue || _maxSeen >= long.MaxValue - 1;
            DateTimeOffset? from = everything ? null : FromMicros(_maxSeen - LatenessMicros - longest);
            var events = new IcebergEventSource(table, table.Metadata.CurrentSnapshotId);
            var to = everything ? DateTimeOffset.MaxValue : FromMicros(_maxSeen + 1);
            foreach (var batch in events.Read(definition.Timestamp, from, to))
            {
                _rebuilt += batch.Length;
                _stream.Push(batch);
            }
            if (_maxSeen >= long.MaxValue - 1)
            {
                // Unknown newest time (no statistics): everything read was emitted before.
                _stream.Flush();
                _maxSeen = long.MinValue;
            }
            else
            {
                _stream.Emit(FromMicros(_maxSeen - LatenessMicros));
            }
        }

        /// <summary>The newest event time in the table's data files (their column upper bounds), or <see cref="long.MinValue"/>.</summary>
        private long NewestEventTime()
        {
            if (table.Metadata.CurrentSnapshot is null) return long.MinValue;
            var field = table.Schema.FindField(definition.Timestamp);
            if (field?.Type is not Floe.Core.Types.PrimitiveType type) return long.MinValue;
            long newest = long.MinValue;
            foreach (var task in new Floe.Iceberg.Scan.TableScan(table).PlanFiles().Tasks)
            {
                if (task.File.UpperBounds is null || !task.File.UpperBounds.TryGetValue(field.Id, out var bound))
                {
                    // No statistics: read everything that is there.
                    return long.MaxValue - 1;
                }
                if (Floe.Core.Types.Conversions.FromBytes(type, bound) is long micros && micros > newest) newest = micros;
            }
            return newest;
        }

        /// <summary>Reads up to one micro-batch of new events; returns true when the source ended.</summary>
        private bool ReadMicroBatch(CancellationToken cancellation)
        {
            var wait = TimeSpan.FromMilliseconds(200);
            while (_decoder.Count < options.MicroBatchEvents)
            {
                bool got;
                bool ended;
                StreamRecord record;
                try
                {
                    got = source.TryRead(wait, cancellation, out record, out ended);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                if (ended) return true;
                if (!got) return false;
                if (_committed is not null && !source.IsAfter(record.Position, _committed))
                {
                    _skipped++;
                    continue;
                }
                _lastPosition = record.Position;
                if (_decoder.TryAdd(record.Payload.Span) is { } reason) DeadLetter(record, reason);
            }
            return false;
        }

        private void Process(RecordBatch batch)
        {
            var times = (TimestampArray)batch.Column(_timeColumn);
            var values = times.Values;
            for (int i = 0; i < values.Length; i++)
            {
                if (times.IsValid(i) && values[i] > _maxSeen) _maxSeen = values[i];
            }
            _events += batch.Length;
            _pending.Add(batch);
            _pendingEvents += batch.Length;
            _stream.Push(batch);
            WriteOnline(_stream.Emit(FromMicros(_maxSeen - LatenessMicros)));
        }

        private void WriteOnline(RecordBatch features)
        {
            if (features.Length == 0) return;
            _featureRows += features.Length;
            online?.Write(definition, features, "stream:" + streamId);
        }

        /// <summary>Appends the buffered raw events with the stream position, then acknowledges it to the source.</summary>
        private void Commit()
        {
            _deadLetter?.Flush();
            if (_pendingEvents == 0 || _lastPosition is null) return;
            var properties = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [StreamIdProperty] = streamId,
                [PositionProperty] = _lastPosition,
                [MaxEventTimeProperty] = _maxSeen.ToString(CultureInfo.InvariantCulture),
            };
            IngestService.Ingest(table, _pending, new IngestOptions { Properties = properties });
            source.Acknowledge(_lastPosition);
            _committed = _lastPosition;
            _commits++;
            _pending.Clear();
            _pendingEvents = 0;
            _sinceCommit.Restart();
        }

        private void DeadLetter(StreamRecord record, string reason)
        {
            _rejected++;
            if (options.DeadLetterPath is null) return;
            _deadLetter ??= new StreamWriter(options.DeadLetterPath, append: true);
            var buffer = new MemoryStream();
            // Relaxed escaping keeps the rejected event readable in the file (it is never embedded in HTML).
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                json.WriteStartObject();
                json.WriteString("stream", streamId);
                json.WriteString("position", record.Position);
                json.WriteString("reason", reason);
                json.WriteString("event", System.Text.Encoding.UTF8.GetString(record.Payload.Span));
                json.WriteEndObject();
            }
            _deadLetter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }

        private static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
    }
}
