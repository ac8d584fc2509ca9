using Apache.Arrow;
using Floe.Application.Streaming;
using Floe.Core.Errors;
using Floe.Features.Definitions;

namespace Floe.Online;

/// <summary>
/// The stream's hot path into Redis: each micro-batch's newest row per entity, newer-wins. When Redis goes away
/// (restarted, network cut) the write is retried with exponential backoff, up to <see cref="MaxOutage"/>; the
/// stream holds its micro-batch meanwhile, so nothing is lost, and the newer-wins rule makes the retry harmless.
/// </summary>
public sealed class RedisOnlineWriter(OnlineStore store, TimeSpan? ttl = null) : IOnlineWriter
{
    /// <summary>How long an outage may last before the stream gives up with an I/O error.</summary>
    public TimeSpan MaxOutage { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries made so far (each after a failed write).</summary>
    public int Retries { get; private set; }

    /// <inheritdoc />
    public void Write(FeatureGroupDefinition definition, RecordBatch features, string source)
    {
        var started = DateTime.UtcNow;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                store.Write(definition, features, source, ttl);
                return;
            }
            catch (FloeException e) when (e.Code == FloeErrorCode.Io && DateTime.UtcNow - started < MaxOutage)
            {
                Retries++;
                Console.Error.WriteLine($"floe: redis unavailable ({e.Message}); retrying in {delay.TotalMilliseconds:F0} ms");
                Thread.Sleep(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
