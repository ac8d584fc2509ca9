namespace Floe.Features.Engine;

/// <summary>
/// Where one entity's events sit in the <see cref="EventArena"/>: its live events [<see cref="Start"/>,
/// <see cref="End"/>), the region [<see cref="RegionStart"/>, <see cref="RegionEnd"/>) it owns, the absolute number
/// of its first live event, and where the current chunk moves it. Kept together (32 bytes, two to a cache line) rather
/// than in six arrays: an entity's visit reads and writes most of them, and in six arrays each was a cache miss of its
/// own for every one of the tens of thousands of entities a chunk visits.
/// </summary>
internal struct EntityBounds
{
    /// <summary>The first live event's position.</summary>
    public int Start;

    /// <summary>One past the last live event's position.</summary>
    public int End;

    /// <summary>The first position of the entity's region.</summary>
    public int RegionStart;

    /// <summary>One past the last position of the entity's region.</summary>
    public int RegionEnd;

    /// <summary>
    /// The absolute event number (counting every event the entity ever had) of the event at <see cref="Start"/>:
    /// positions move when regions are compacted or moved, absolute numbers do not.
    /// </summary>
    public long Base;

    /// <summary>For an entity with new events in the current chunk: where its live events must move before appending (-1: stay).</summary>
    public int MoveTo;
}
