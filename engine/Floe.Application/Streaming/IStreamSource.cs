namespace Floe.Application.Streaming;

/// <summary>One raw event from a stream: its bytes (a JSON object) and where it sits in the stream.</summary>
/// <param name="Payload">The event's UTF-8 JSON text.</param>
/// <param name="Position">The source's position of the event; positions only grow (see <see cref="IStreamSource.IsAfter"/>).</param>
public readonly record struct StreamRecord(ReadOnlyMemory<byte> Payload, string Position);

/// <summary>
/// Where a stream's events come from (a file or stdin of JSON lines, a Redis Stream consumer group, …). The
/// streamer commits each event's position with the raw events in Iceberg and only then acknowledges it, so after a
/// crash a source re-delivers what was not committed and the streamer skips what was.
/// </summary>
public interface IStreamSource : IDisposable
{
    /// <summary>A stable name for the stream (recorded with committed positions).</summary>
    string Id { get; }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the next event. Returns false with no record when none came in time,
    /// and sets <paramref name="ended"/> when the source is finite and exhausted.
    /// </summary>
    bool TryRead(TimeSpan wait, CancellationToken cancellation, out StreamRecord record, out bool ended);

    /// <summary>Whether <paramref name="position"/> comes after <paramref name="committed"/> in this stream.</summary>
    bool IsAfter(string position, string committed);

    /// <summary>Tells the source that every event up to <paramref name="position"/> is durably committed.</summary>
    void Acknowledge(string position);
}
