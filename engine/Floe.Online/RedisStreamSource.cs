using System.Globalization;
using System.Text;
using Floe.Application.Streaming;
using Floe.Core.Errors;
using StackExchange.Redis;

namespace Floe.Online;

/// <summary>
/// Events from a Redis Stream, read through a consumer group (at least once): each entry's <c>event</c> (or
/// <c>data</c>) field holds one JSON object. On start the consumer first takes back what was delivered to it and
/// never acknowledged (a crash), then new entries; entries are acknowledged only once the raw events they carry are
/// committed to Iceberg. Positions are entry ids (<c>ms-seq</c>). The group is created at the stream's beginning when
/// missing. With <see cref="StopWhenEmpty"/> the source ends once nothing new arrives (tests, catch-up runs).
/// </summary>
public sealed class RedisStreamSource : IStreamSource
{
    private const int ReadCount = 1024;
    private readonly IDatabase _db;
    private readonly RedisKey _stream;
    private readonly string _group;
    private readonly string _consumer;
    private readonly Queue<StreamEntry> _buffer = new();
    private readonly List<RedisValue> _unacknowledged = new();
    private bool _pendingDrained;
    // Where the re-read of this consumer's unacknowledged entries goes on from (they stay pending until acknowledged).
    private RedisValue _pendingCursor = "0";

    /// <summary>Reads <paramref name="stream"/> as <paramref name="consumer"/> of <paramref name="group"/>.</summary>
    public RedisStreamSource(IDatabase db, string stream, string group = "floe", string consumer = "floe-1")
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
        _stream = stream;
        _group = group;
        _consumer = consumer;
        try
        {
            if (!_db.KeyExists(_stream) || !_db.StreamGroupInfo(_stream).Any(g => g.Name == _group))
            {
                _db.StreamCreateConsumerGroup(_stream, _group, StreamPosition.Beginning, createStream: true);
            }
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another consumer created the group at the same moment.
        }
        catch (RedisException e)
        {
            throw new FloeException(FloeErrorCode.Io, $"redis stream '{stream}': {e.Message}", e);
        }
    }

    /// <summary>End the stream once no new entry arrives within a read's wait.</summary>
    public bool StopWhenEmpty { get; init; }

    /// <inheritdoc />
    public string Id => $"redis:{_stream}/{_group}";

    /// <summary>Parses a <c>--source redis:STREAM[?group=G&amp;consumer=C&amp;end=empty]</c> specification.</summary>
    public static RedisStreamSource Parse(IDatabase db, string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var body = spec["redis:".Length..];
        var query = body.IndexOf('?', StringComparison.Ordinal);
        var stream = query < 0 ? body : body[..query];
        if (stream.Length == 0) throw Errors.InvalidArgument($"--source '{spec}': name the stream (redis:STREAM)");
        string group = "floe", consumer = Environment.MachineName + "-" + Environment.ProcessId;
        bool stopWhenEmpty = false;
        foreach (var pair in query < 0 ? [] : body[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? (pair[..eq], pair[(eq + 1)..]) : (pair, "");
            switch (key)
            {
                case "group": group = value; break;
                case "consumer": consumer = value; break;
                case "end" when value == "empty": stopWhenEmpty = true; break;
                default: throw Errors.InvalidArgument($"--source '{spec}': unknown option '{key}' (group, consumer, end=empty)");
            }
        }
        return new RedisStreamSource(db, stream, group, consumer) { StopWhenEmpty = stopWhenEmpty };
    }

    /// <inheritdoc />
    public bool TryRead(TimeSpan wait, CancellationToken cancellation, out StreamRecord record, out bool ended)
    {
        record = default;
        ended = false;
        var deadline = DateTime.UtcNow + wait;
        while (_buffer.Count == 0)
        {
            cancellation.ThrowIfCancellationRequested();
            StreamEntry[] entries;
            try
            {
                // "0": what this consumer was given before and never acknowledged; then ">": entries never delivered.
                entries = _db.StreamReadGroup(_stream, _group, _consumer, _pendingDrained ? StreamPosition.NewMessages : _pendingCursor, ReadCount);
            }
            catch (RedisException e)
            {
                throw new FloeException(FloeErrorCode.Io, $"redis stream '{_stream}': {e.Message}", e);
            }
            if (!_pendingDrained && entries.Length == 0)
            {
                _pendingDrained = true;
                continue;
            }
            foreach (var entry in entries) _buffer.Enqueue(entry);
            if (!_pendingDrained) _pendingCursor = entries[^1].Id;
            if (_buffer.Count > 0) break;
            if (StopWhenEmpty)
            {
                ended = true;
                return false;
            }
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(20);
        }
        var next = _buffer.Dequeue();
        _unacknowledged.Add(next.Id);
        var payload = next["event"];
        if (payload.IsNull) payload = next["data"];
        record = new StreamRecord(payload.IsNull ? Encoding.UTF8.GetBytes("{\"error\": \"entry has no 'event' field\"}") : (byte[])payload!, next.Id.ToString());
        return true;
    }

    /// <inheritdoc />
    public bool IsAfter(string position, string committed) => Compare(position, committed) > 0;

    /// <inheritdoc />
    public void Acknowledge(string position)
    {
        var done = _unacknowledged.Where(id => Compare(id.ToString(), position) <= 0).ToArray();
        if (done.Length == 0) return;
        try
        {
            _db.StreamAcknowledge(_stream, _group, done);
        }
        catch (RedisException e)
        {
            throw new FloeException(FloeErrorCode.Io, $"redis stream '{_stream}': acknowledging failed: {e.Message}", e);
        }
        _unacknowledged.RemoveAll(id => Compare(id.ToString(), position) <= 0);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Orders two stream entry ids (<c>ms-seq</c>).</summary>
    public static int Compare(string a, string b)
    {
        var (am, asq) = Split(a);
        var (bm, bsq) = Split(b);
        return am != bm ? am.CompareTo(bm) : asq.CompareTo(bsq);
    }

    private static (long Ms, long Seq) Split(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? (long.Parse(id, CultureInfo.InvariantCulture), 0)
            : (long.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }
}
