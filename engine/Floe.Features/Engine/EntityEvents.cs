namespace Floe.Features.Engine;

/// <summary>
/// Events grouped by entity in one set of flat arrays (struct of arrays): entity <c>Entities[g]</c> owns positions
/// [<c>Starts[g]</c>, <c>Starts[g + 1]</c>), sorted by (time, arrival). Used for the events each entity keeps for
/// its bounded windows between chunks, and for a chunk's new events merged behind them; the arrays are reused and
/// only grow, so steady-state chunks allocate nothing here.
/// </summary>
internal sealed class EntityEvents
{
    public EntityEvents(int slots)
    {
        Bits = new long[slots][];
        Valid = new bool[slots][];
        for (int s = 0; s < slots; s++)
        {
            Bits[s] = [];
            Valid[s] = [];
        }
    }

    /// <summary>Number of entity groups.</summary>
    public int Groups;

    /// <summary>Ascending entity ids, one per group.</summary>
    public int[] Entities = [];

    /// <summary>Group start positions; <c>Starts[Groups]</c> is the event count.</summary>
    public int[] Starts = [0];

    /// <summary>Per group, the first position that is a new event of the current chunk (merged buffers only).</summary>
    public int[] NewStarts = [];

    /// <summary>Per group, the sorted-chunk position of its first new event (merged buffers only).</summary>
    public int[] OutputStarts = [];

    public long[] Time = [];

    /// <summary>Per slot, each event's value bits (long, double bits, or string id).</summary>
    public long[][] Bits;

    /// <summary>Per slot, whether the event has a (non-null) value.</summary>
    public bool[][] Valid;

    public int Count => Starts[Groups];

    /// <summary>Makes room for <paramref name="groups"/> groups and <paramref name="events"/> events (contents are not kept).</summary>
    public void Reserve(int groups, int events)
    {
        if (Entities.Length < groups)
        {
            int g = Grow(Entities.Length, groups);
            Entities = new int[g];
            Starts = new int[g + 1];
            NewStarts = new int[g];
            OutputStarts = new int[g];
        }
        if (Time.Length < events)
        {
            int e = Grow(Time.Length, events);
            Time = GC.AllocateUninitializedArray<long>(e);
            for (int s = 0; s < Bits.Length; s++)
            {
                Bits[s] = GC.AllocateUninitializedArray<long>(e);
                Valid[s] = GC.AllocateUninitializedArray<bool>(e);
            }
        }
    }

    // Grow by half again, so a slowly rising event count does not reallocate every chunk.
    private static int Grow(int current, int needed) => (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)current * 3 / 2));

    /// <summary>Copies positions [<paramref name="from"/>, <paramref name="from"/> + <paramref name="count"/>) of <paramref name="source"/> to <paramref name="to"/>.</summary>
    public void CopyFrom(EntityEvents source, int from, int to, int count)
    {
        source.Time.AsSpan(from, count).CopyTo(Time.AsSpan(to, count));
        for (int s = 0; s < Bits.Length; s++)
        {
            source.Bits[s].AsSpan(from, count).CopyTo(Bits[s].AsSpan(to, count));
            source.Valid[s].AsSpan(from, count).CopyTo(Valid[s].AsSpan(to, count));
        }
    }
}
