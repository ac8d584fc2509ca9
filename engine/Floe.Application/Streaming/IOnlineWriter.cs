using Apache.Arrow;
using Floe.Features.Definitions;

namespace Floe.Application.Streaming;

/// <summary>
/// The hot path of a stream: receives each micro-batch of computed feature rows (entity key(s), event time, every
/// feature) to serve online. Writes must be idempotent and never move an entity back to an older feature time,
/// because a restarted stream replays what it had not yet committed.
/// </summary>
public interface IOnlineWriter
{
    /// <summary>Writes the rows of <paramref name="features"/> for <paramref name="definition"/>; <paramref name="source"/> says what produced them.</summary>
    void Write(FeatureGroupDefinition definition, RecordBatch features, string source);
}
