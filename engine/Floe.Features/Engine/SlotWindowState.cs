using Floe.Kernels.Aggregates;

namespace Floe.Features.Engine;

/// <summary>
/// The incremental aggregators of one (slot, window) pair for one entity. <see cref="P"/> is the absolute index, in the
/// slot's valid-value list, of the oldest value still inside the window. Sums are exact (integers in Int128, doubles
/// in <see cref="ExactSum"/>), so values depend only on the window's contents; NaN and infinities are counted apart.
/// </summary>
internal sealed class SlotWindowState
{
    public long P;
    public ExactSum? Sum;
    public ExactSum? SumSq;
    public Int128 IntSum;
    public int NaN;
    public int PosInf;
    public int NegInf;
    public int SquareOverflow;
    public MonotonicDeque<double>? DMin;
    public MonotonicDeque<double>? DMax;
    public MonotonicDeque<long>? LMin;
    public MonotonicDeque<long>? LMax;
    public Dictionary<long, int>? Distinct;

    /// <summary>The run (absolute position of its first event) whose float sum <see cref="CachedSum"/> holds.</summary>
    public long CachedRun = -1;
    public double CachedSum;
}
