using Floe.Core.Errors;
using StackExchange.Redis;

namespace Floe.Online;

/// <summary>
/// Right-to-be-forgotten in the online store: finds every feature group version of this deployment (its
/// <c>{prefix}:{group}:v{version}:_meta</c> hash) whose entity columns include KEY and deletes the hashes of the
/// entity whose KEY part is VALUE (<see cref="OnlineKeys"/> lays them out). A single-column entity is one key; for a
/// composite entity the group's keys are scanned and each whose KEY part matches goes.
/// </summary>
public static class OnlineForget
{
    private const int ScanPageSize = 1000;

    /// <summary>Deletes (or, on <paramref name="dryRun"/>, lists) the online hashes of <paramref name="key"/> = <paramref name="value"/>.</summary>
    /// <exception cref="FloeException">Io when Redis fails.</exception>
    public static OnlineForgetResult Forget(OnlineStore store, string key, string value, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (string.IsNullOrWhiteSpace(key)) throw Errors.InvalidArgument("--entity needs KEY=VALUE with a non-empty KEY");
        var db = store.Database;
        var encoded = OnlineKeys.EncodePart(value);
        var keys = new List<string>();
        var groups = new List<string>();
        var unknown = new List<string>();
        try
        {
            foreach (var server in store.Servers())
            {
                foreach (var meta in server.Keys(db.Database, $"{Glob(store.Prefix)}:*:{OnlineKeys.MetaSuffix}", ScanPageSize))
                {
                    var metaKey = meta.ToString();
                    var groupPrefix = metaKey[..^OnlineKeys.MetaSuffix.Length];
                    var group = groupPrefix[(store.Prefix.Length + 1)..^1];
                    var columns = db.HashGet(meta, OnlineKeys.EntityColumnsField);
                    if (columns.IsNullOrEmpty)
                    {
                        unknown.Add(group);
                        continue;
                    }
                    var parts = columns.ToString().Split(',');
                    var index = Array.IndexOf(parts, key);
                    if (index < 0) continue;
                    groups.Add(group);
                    if (parts.Length == 1)
                    {
                        var entityKey = groupPrefix + encoded;
                        if (db.KeyExists(entityKey)) keys.Add(entityKey);
                        continue;
                    }
                    foreach (var candidate in server.Keys(db.Database, Glob(groupPrefix) + "*", ScanPageSize))
                    {
                        var text = candidate.ToString();
                        if (text == metaKey) continue;
                        var entityParts = text[groupPrefix.Length..].Split(':');
                        if (entityParts.Length == parts.Length && entityParts[index] == encoded) keys.Add(text);
                    }
                }
            }
            if (!dryRun && keys.Count > 0)
            {
                foreach (var chunk in keys.Chunk(ScanPageSize)) db.KeyDelete(chunk.Select(k => (RedisKey)k).ToArray());
            }
        }
        catch (RedisException e)
        {
            throw new FloeException(FloeErrorCode.Io, $"redis: forgetting {key}={value} failed: {e.Message}", e);
        }
        return new OnlineForgetResult(keys, groups, unknown);
    }

    /// <summary>Escapes the glob characters of a literal key part for SCAN MATCH.</summary>
    private static string Glob(string literal)
    {
        var result = new System.Text.StringBuilder(literal.Length);
        foreach (var c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\') result.Append('\\');
            result.Append(c);
        }
        return result.ToString();
    }
}
