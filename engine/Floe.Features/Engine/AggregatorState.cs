using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// One entity's incremental aggregators of one slot over one window, carried from chunk to chunk so every event is
/// added once and evicted once however the events are chunked. <see cref="Left"/> is the window's left edge as an
/// absolute event number of the entity (see <see cref="EntityBounds.Base"/>). The min/max deques are rebuilt from the
/// window's retained events at the start of each chunk, into the worker's scratch, and tracked there
/// (<see cref="WindowCursors"/>): 80 bytes a state rather than 112, 9.6 MB less for 100k entities and three windows.
/// Sums are exact (integers in Int128, doubles in <see cref="ExactSum"/>), so a value depends only on the window's
/// contents: NaN and infinities are counted apart, which is why rebuilding and carrying state give bit-identical
/// results.
/// </summary>
internal struct AggregatorState
{
    /// <summary>Non-null values in the window (NaN included).</summary>
    public long Count;
    public long Left;
    public Int128 IntSum;
    public int NaN;
    public int PosInf;
    public int NegInf;
    public int SquareOverflow;
    public ExactSum? Sum;
    public ExactSum? SumSq;

    // The bounded windows' min/max deques as they stood after the last chunk, kept in EntityStates when short (-1: too
    // long, rebuild). Where a chunk's deques stand while it runs is the worker's (WindowCursors).
    public int MinSaved;
    public int MaxSaved;

    // Unbounded windows' extremes and first value, and distinct counts: rare, so kept in a side object allocated on
    // first use (entity state is per entity and pass, ~300k states at 100k entities and three windows).
    public RareAggregates? Rare;
}
