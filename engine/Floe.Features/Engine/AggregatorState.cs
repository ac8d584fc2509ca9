using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// One entity's incremental aggregators of one slot over one window, carried from chunk to chunk so every event is
/// added once and evicted once however the events are chunked. <see cref="Left"/> is the window's left edge as an
/// absolute event number of the entity (see <see cref="EntityBounds.Base"/>). The min/max deques are rebuilt from the
/// window's retained events at the start of each chunk, into the worker's scratch. Sums are exact (integers in Int128, doubles
/// in <see cref="ExactSum"/>), so a value depends only on the window's contents: NaN and infinities are counted
/// apart, which is why rebuilding and carrying state give bit-identical results.
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

    // Bounded windows, for the current chunk only: monotonic deques of event positions in the worker's queue arrays,
    // plus the oldest and newest positions holding a value.
    public int MinHead;
    // The deques as they stood after the last chunk, kept in EntityStates when short (-1: too long, rebuild).
    public int MinSaved;
    public int MaxSaved;
    public int MinTail;
    public int MaxHead;
    public int MaxTail;
    public int FirstValid;
    public int LastValid;

    // Unbounded windows' extremes and first value, and distinct counts: rare, so kept in a side object allocated on
    // first use (entity state is per entity and pass, ~300k states at 100k entities and three windows).
    public RareAggregates? Rare;
}
