namespace Floe.Features.Engine;

/// <summary>
/// One two-pointer pass of the window kernel: a window, at most one slot (-1: events only), and the outputs it
/// writes (the window's event counts ride on its first pass). <see cref="Fast"/> marks passes whose aggregations
/// are all count/sum/mean/min/max over a bounded window, which run a specialised loop with the state in locals.
/// </summary>
internal sealed record WindowPass(int Window, int Slot, int[] Slots, int[] Outputs, bool Fast);
