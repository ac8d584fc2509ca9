namespace Floe.Features.Engine;

/// <summary>
/// One two-pointer pass of the window kernel: a window, at most one slot (-1: events only), the aggregators it
/// maintains and the outputs it writes (the window's event counts ride on its first pass). Each entity keeps one
/// <see cref="AggregatorState"/> per pass between chunks. <see cref="Fast"/> marks passes whose aggregations are all
/// count/sum/mean/min/max over a bounded window, which run a specialised loop with the state in locals.
/// </summary>
internal sealed record WindowPass(int Window, long Length, int Slot, bool IsFloat, SlotNeeds Needs, int[] Outputs, bool Fast)
{
    public bool Unbounded => Length == long.MaxValue;
}
