using Apache.Arrow;
using Floe.Application.Streaming;
using Floe.Features.Definitions;

namespace Floe.Online;

/// <summary>The stream's hot path into Redis: each micro-batch's newest row per entity, newer-wins.</summary>
public sealed class RedisOnlineWriter(OnlineStore store, TimeSpan? ttl = null) : IOnlineWriter
{
    /// <inheritdoc />
    public void Write(FeatureGroupDefinition definition, RecordBatch features, string source) => store.Write(definition, features, source, ttl);
}
