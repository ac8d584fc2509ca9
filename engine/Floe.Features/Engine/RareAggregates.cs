namespace Floe.Features.Engine;

/// <summary>
/// The parts of an <see cref="AggregatorState"/> that few definitions use (unbounded windows' running extremes and
/// first value, distinct-value tables), held apart so the state every entity and pass carries stays small.
/// </summary>
internal sealed class RareAggregates
{
    // Unbounded windows: running extremes (NaN excluded) and the first value ever seen.
    public long MinBits;
    public long MaxBits;
    public long FirstBits;
    public bool HasMin;
    public bool HasMax;
    public bool HasFirst;
    public HashSet<long>? Seen;

    // Bounded windows: how many times each distinct value occurs in the window.
    public Dictionary<long, int>? Distinct;
}
