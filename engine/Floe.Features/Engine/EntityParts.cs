namespace Floe.Features.Engine;

/// <summary>
/// A chunk's parts by entity range (<see cref="EntityRanges.Plan(EventChunk, int, int)"/>), or those of several
/// chunks taken one after the other: each part's rows, gathered into a chunk of its own when taken.
/// </summary>
internal sealed class EntityParts
{
    private readonly IReadOnlyList<EventChunk> _pieces;
    // Where each piece's rows start among all the pieces' (and, last, their total).
    private readonly int[] _offsets;
    // The rows part after part, each part's in order; part p is _rows[_start[p] .. _start[p + 1]).
    private readonly int[] _rows;
    private readonly int[] _start;

    internal EntityParts(IReadOnlyList<EventChunk> pieces, int[] offsets, int[] rows, int[] start)
    {
        _pieces = pieces;
        _offsets = offsets;
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
        _pieces.Count == 1
            ? _pieces[0].Gather(_rows, _start[part], _start[part + 1] - _start[part], arrays, parallelism)
            : EventChunk.Gather(_pieces, _offsets, _rows, _start[part], _start[part + 1] - _start[part], arrays, parallelism);
}
