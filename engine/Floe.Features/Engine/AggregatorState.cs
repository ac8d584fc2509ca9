using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// The incremental aggregators of one slot over one window. For a bounded window it lives in a worker's scratch
/// and is rebuilt for every entity and chunk from the entity's retained events, so it holds no per-entity garbage;
/// for an unbounded window it is the entity's persistent lifetime state. Sums are exact (integers in Int128, doubles
/// in <see cref="ExactSum"/>), so a value depends only on the window's contents: NaN and infinities are counted
/// apart, which is why rebuilding and carrying state give bit-identical results.
/// </summary>
internal struct AggregatorState
{
    /// <summary>Non-null values in the window (NaN included).</summary>
    public long Count;
    public Int128 IntSum;
    public int NaN;
    public int PosInf;
    public int NegInf;
    public int SquareOverflow;
    public ExactSum? Sum;
    public ExactSum? SumSq;

    // Bounded windows: monotonic deques of event positions in the worker's queue arrays, plus the oldest and newest
    // positions holding a value.
    public int MinHead;
    public int MinTail;
    public int MaxHead;
    public int MaxTail;
    public int FirstValid;
    public int LastValid;

    // Unbounded windows: running extremes (NaN excluded) and the first value ever seen.
    public long MinBits;
    public long MaxBits;
    public long FirstBits;
    public bool HasMin;
    public bool HasMax;
    public bool HasFirst;
    public HashSet<long>? Seen;
}
