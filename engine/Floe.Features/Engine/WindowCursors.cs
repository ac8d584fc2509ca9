namespace Floe.Features.Engine;

/// <summary>
/// Where one bounded window of one entity stands while a chunk's events go through it on the general path: its
/// min/max deques' ends in the worker's queue arrays and the oldest and newest positions holding a value. Set up
/// when the window is restored and dropped once its deques are saved, so a worker needs one, not one per entity
/// and window (<see cref="AggregatorState"/> is per entity and window).
/// </summary>
internal struct WindowCursors
{
    public int MinHead;
    public int MinTail;
    public int MaxHead;
    public int MaxTail;
    public int FirstValid;
    public int LastValid;
}
