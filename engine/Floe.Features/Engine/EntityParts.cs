namespace Floe.Features.Engine;

/// <summary>
/// A chunk's parts by entity range (<see cref="EntityRanges.Plan"/>): each part's rows of the chunk, gathered into a
/// chunk of its own when taken.
/// </summary>
internal sealed class EntityParts
{
    private readonly EventChunk _chunk;
    // The chunk's rows part after part, each part's in chunk order; part p is _rows[_start[p] .. _start[p + 1]).
    private readonly int[] _rows;
    private readonly int[] _start;

    internal EntityParts(EventChunk chunk, int[] rows, int[] start)
    {
        _chunk = chunk;
        _rows = rows;
        _start = start;
    }

    /// <summary>The number of parts.</summary>
    public int Count => _start.Length - 1;

    /// <summary>
    /// Part <paramref name="part"/>'s events as a chunk, their entity, time and slot arrays rented from
    /// <paramref name="arrays"/> (hand it to <see cref="EventChunk.Recycle"/> once nothing reads it).
    /// </summary>
    public EventChunk Take(int part, ChunkArrays arrays, int parallelism) =>
        _chunk.Gather(_rows, _start[part], _start[part + 1] - _start[part], arrays, parallelism);
}
