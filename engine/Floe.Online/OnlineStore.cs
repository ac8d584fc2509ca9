using System.Globalization;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using StackExchange.Redis;

namespace Floe.Online;

/// <summary>
/// The online store on Redis (see <see cref="OnlineKeys"/> for the layout). Writes are pipelined and go through one
/// server-side script per entity that keeps the newest feature time: a value older than the one stored is dropped,
/// so replays and late corrections never move an entity back. Reads are pipelined multi-gets. Thread-safe.
/// </summary>
public sealed class OnlineStore : IDisposable
{
    // Keeps the newest: an equal time overwrites (a recomputed correction), an older one is ignored. Absent fields
    // are null features, so the hash is replaced whole. One call carries several entities: ARGV holds, per key, its
    // time, source, TTL in ms, field count, then the field/value pairs.
    private const string WriteScript = """
        local a = 1
        local written = 0
        for i = 1, #KEYS do
          local ts, src, ttl, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
          local first = a + 4
          a = first + 2 * n
          local cur = redis.call('HGET', KEYS[i], '_ts')
          if not (cur and tonumber(cur) > tonumber(ts)) then
            redis.call('DEL', KEYS[i])
            redis.call('HSET', KEYS[i], '_ts', ts, '_src', src, unpack(ARGV, first, a - 1))
            if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
            written = written + 1
          end
        end
        return written
        """;

    /// <summary>Entities per script call: fewer round trips, small enough not to stall the server.</summary>
    private const int EntitiesPerCall = 32;

    private const int PipelineDepth = 8192;

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly HashSet<string> _entityRecorded = new(StringComparer.Ordinal);

    private OnlineStore(ConnectionMultiplexer redis, string prefix)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        Prefix = prefix;
    }

    /// <summary>The database, for sources that read from the same server (Redis Streams).</summary>
    public IDatabase Database => _db;

    /// <summary>The key prefix.</summary>
    public string Prefix { get; }

    /// <summary>Connects; an unreachable server or a refused password is a clear error.</summary>
    public static OnlineStore Connect(RedisSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.ToOptions();
        try
        {
            return new OnlineStore(ConnectionMultiplexer.Connect(options), settings.Prefix);
        }
        catch (RedisConnectionException e)
        {
            var where = string.Join(",", options.EndPoints.Select(p => p.ToString()));
            throw e.FailureType is ConnectionFailureType.AuthenticationFailure
                ? Errors.InvalidArgument($"redis {where}: authentication failed")
                : new FloeException(FloeErrorCode.Io, $"redis {where} is unreachable: {e.FailureType}", e);
        }
    }

    /// <summary>
    /// Writes the newest row per entity of <paramref name="rows"/> (entity column(s), the event-time column, features:
    /// what feature computation gives) for <paramref name="definition"/>. Returns how many entities were sent.
    /// </summary>
    public int Write(FeatureGroupDefinition definition, RecordBatch rows, string source, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(rows);
        var entityColumns = definition.Entity.Select(e => rows.Column(Index(rows, e))).ToArray();
        var times = rows.Column(Index(rows, definition.Timestamp)) as TimestampArray
            ?? throw Errors.InvalidArgument($"column '{definition.Timestamp}' is not a timestamp");
        var features = definition.Features.Select(f => (f.Name, Column: rows.Column(Index(rows, f.Name)))).ToArray();

        // The newest row of each entity in this batch (a later row wins a tie, as a later write would).
        var newest = new Dictionary<string, int>(StringComparer.Ordinal);
        var parts = new string[entityColumns.Length];
        for (int row = 0; row < rows.Length; row++)
        {
            if (!times.IsValid(row)) continue;
            for (int k = 0; k < parts.Length; k++) parts[k] = OnlineKeys.Text(entityColumns[k], row) ?? "";
            var key = OnlineKeys.Entity(Prefix, definition, parts);
            if (!newest.TryGetValue(key, out var best) || times.Values[row] >= times.Values[best]) newest[key] = row;
        }

        // The group's metadata names its entity columns once per store, so forgetting an entity can find its keys
        // without the definition (materialized and streamed groups alike).
        if (_entityRecorded.Add(OnlineKeys.Meta(Prefix, definition)))
        {
            _db.HashSet(OnlineKeys.Meta(Prefix, definition), OnlineKeys.EntityColumnsField, string.Join(",", definition.Entity));
        }
        var ttlMs = ttl is { } t ? ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "0";
        var pending = new List<Task>(PipelineDepth);
        var keys = new List<RedisKey>(EntitiesPerCall);
        var args = new List<RedisValue>(EntitiesPerCall * (4 + features.Length * 2));
        try
        {
            foreach (var (key, row) in newest)
            {
                keys.Add(key);
                args.Add(times.Values[row]);
                args.Add(source);
                args.Add(ttlMs);
                int countAt = args.Count;
                args.Add(0);
                int fields = 0;
                foreach (var (name, column) in features)
                {
                    if (OnlineKeys.Text(column, row) is { } text)
                    {
                        args.Add(name);
                        args.Add(text);
                        fields++;
                    }
                }
                args[countAt] = fields;
                if (keys.Count == EntitiesPerCall) Send(keys, args, pending);
            }
            if (keys.Count > 0) Send(keys, args, pending);
            Task.WaitAll(pending);
        }
        catch (AggregateException e) when (e.InnerException is RedisException inner)
        {
            throw new FloeException(FloeErrorCode.Io, $"redis write failed: {inner.Message}", inner);
        }
        return newest.Count;
    }

    private void Send(List<RedisKey> keys, List<RedisValue> args, List<Task> pending)
    {
        pending.Add(_db.ScriptEvaluateAsync(WriteScript, keys.ToArray(), args.ToArray()));
        keys.Clear();
        args.Clear();
        if (pending.Count == PipelineDepth)
        {
            Task.WaitAll(pending);
            pending.Clear();
        }
    }

    /// <summary>Reads the online values of <paramref name="entities"/> (each the entity key parts as invariant text) in one pipeline.</summary>
    public IReadOnlyList<OnlineRow> GetMany(FeatureGroupDefinition definition, IReadOnlyList<IReadOnlyList<string>> entities)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(entities);
        var reads = new Task<HashEntry[]>[entities.Count];
        for (int i = 0; i < entities.Count; i++)
        {
            if (entities[i].Count != definition.Entity.Count)
            {
                throw Errors.InvalidArgument($"entity {i + 1} has {entities[i].Count} part(s); '{definition.Name}' is keyed by {string.Join(", ", definition.Entity)}");
            }
            reads[i] = _db.HashGetAllAsync(OnlineKeys.Entity(Prefix, definition, entities[i]));
        }
        try
        {
            Task.WaitAll(reads);
        }
        catch (AggregateException e) when (e.InnerException is RedisException inner)
        {
            throw new FloeException(FloeErrorCode.Io, $"redis read failed: {inner.Message}", inner);
        }
        var rows = new OnlineRow[entities.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var hash = reads[i].Result.ToDictionary(h => h.Name.ToString(), h => h.Value.ToString(), StringComparer.Ordinal);
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var f in definition.Features) values[f.Name] = hash.TryGetValue(f.Name, out var v) ? v : null;
            rows[i] = new OnlineRow(entities[i], hash.Count > 0,
                hash.TryGetValue(OnlineKeys.TimeField, out var ts) ? long.Parse(ts, CultureInfo.InvariantCulture) : null,
                hash.GetValueOrDefault(OnlineKeys.SourceField), values);
        }
        return rows;
    }

    /// <summary>A value of the group's metadata hash (e.g. the last materialized snapshot), or null.</summary>
    public string? GetMeta(FeatureGroupDefinition definition, string field)
    {
        var value = _db.HashGet(OnlineKeys.Meta(Prefix, definition), field);
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>Sets values of the group's metadata hash.</summary>
    public void SetMeta(FeatureGroupDefinition definition, IReadOnlyDictionary<string, string> values) =>
        _db.HashSet(OnlineKeys.Meta(Prefix, definition), values.Select(v => new HashEntry(v.Key, v.Value)).ToArray());

    /// <summary>Every server of the connection (one, or a cluster's primaries), for key scans.</summary>
    internal IEnumerable<IServer> Servers() => _redis.GetServers().Where(server => !server.IsReplica);

    /// <inheritdoc />
    public void Dispose() => _redis.Dispose();

    private static int Index(RecordBatch rows, string column)
    {
        var index = rows.Schema.GetFieldIndex(column);
        return index >= 0 ? index : throw Errors.InvalidArgument($"feature rows have no column '{column}'");
    }
}
