namespace Floe.Features.Engine;

/// <summary>
/// Every entity's retained events in one set of flat arrays (struct of arrays): entity e owns the region
/// [<c>RegionStart[e]</c>, <c>RegionEnd[e]</c>) and its live events are [<c>Start[e]</c>, <c>End[e]</c>), sorted by
/// (time, arrival). A chunk appends an entity's new events behind its retained ones, so the kernel reads one
/// contiguous range per entity, and dropping events that left every window only moves <c>Start</c>. A region that
/// runs out of room is compacted in place or moved to the end of the arena with half as much room again as it needs;
/// when the arena itself is full it is rebuilt with only live events, in place once it has grown to the run's needs.
/// Nothing is allocated per entity or per chunk in the steady state.
/// </summary>
internal sealed class EventArena
{
    private const int MinRegion = 8;

    private readonly int _slots;
    private int _top;
    // Per entity with new events in the current chunk: where its live events must move before appending (-1: stay).
    private int[] _moveTo = [];

    public EventArena(int slots)
    {
        _slots = slots;
        Bits = new long[slots][];
        Valid = new bool[slots][];
        NullsSeen = new bool[slots];
        for (int s = 0; s < slots; s++)
        {
            Bits[s] = [];
            Valid[s] = [];
        }
    }

    public long[] Time { get; private set; } = [];

    /// <summary>
    /// Per slot, whether any event appended so far lacked a value: until one does, a window's count is its number of
    /// events, and the kernel need not look.
    /// </summary>
    public bool[] NullsSeen { get; }

    /// <summary>Per slot, each event's value bits (long, double bits, or string id).</summary>
    public long[][] Bits { get; private set; }

    /// <summary>Per slot, whether the event has a (non-null) value.</summary>
    public bool[][] Valid { get; private set; }

    public int[] Start { get; private set; } = [];

    /// <summary>
    /// Per entity, the absolute event number (counting every event the entity ever had) of the event at
    /// <c>Start</c>: positions move when regions are compacted or moved, absolute numbers do not.
    /// </summary>
    public long[] Base { get; private set; } = [];

    public int[] End { get; private set; } = [];

    private int[] RegionStart { get; set; } = [];

    private int[] RegionEnd { get; set; } = [];

    // Half as much again as needed: a region moves O(log) times as its entity grows, and compacting a full region
    // moves at most two events per appended event, for a third of the memory doubling would take.
    private static int Room(int events) => Math.Max(MinRegion, events + (events / 2));

    /// <summary>Hints the cache lines of <paramref name="entity"/>'s bounds (see <see cref="CachePrefetch"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void PrefetchBounds(int entity)
    {
        CachePrefetch.Line(ref Start[entity]);
        CachePrefetch.Line(ref End[entity]);
        CachePrefetch.Line(ref Base[entity]);
        CachePrefetch.Line(ref RegionEnd[entity]);
    }

    /// <summary>Hints the cache lines of event <paramref name="at"/>'s time and its value in slot <paramref name="slot"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void PrefetchEvent(int at, int slot)
    {
        if ((uint)at >= (uint)Time.Length) { return; }
        CachePrefetch.Line(ref Time[at]);
        if (slot >= 0)
        {
            CachePrefetch.Line(ref Bits[slot][at]);
            CachePrefetch.Line(ref Valid[slot][at]);
        }
    }

    /// <summary>Makes room for entity ids below <paramref name="entities"/>.</summary>
    public void EnsureEntities(int entities)
    {
        if (Start.Length >= entities) { return; }
        int size = Math.Max(entities, Start.Length + (Start.Length / 8) + 1024);
        Start = Resized(Start, size);
        Base = Resized(Base, size);
        End = Resized(End, size);
        RegionStart = Resized(RegionStart, size);
        RegionEnd = Resized(RegionEnd, size);
        _moveTo = Resized(_moveTo, size);
    }

    private static T[] Resized<T>(T[] a, int size)
    {
        Array.Resize(ref a, size);
        return a;
    }

    /// <summary>
    /// Plans room for <paramref name="added"/>[k] new events behind the live events of entity
    /// <paramref name="entities"/>[k], for every k &lt; <paramref name="count"/>: sequential, cheap bookkeeping. The
    /// moves themselves happen in <see cref="MakeRoom"/>, per entity, on the workers.
    /// </summary>
    public void Plan(int[] entities, int[] added, int count)
    {
        for (int k = 0; k < count; k++)
        {
            int e = entities[k];
            int live = End[e] - Start[e];
            _moveTo[e] = -1;
            if (RegionEnd[e] - RegionStart[e] >= live + added[k]) { continue; }
            int room = Room(live + added[k]);
            if ((long)_top + room > Time.Length)
            {
                Rebuild(entities, added, count);
                return;
            }
            _moveTo[e] = _top;
            RegionStart[e] = _top;
            RegionEnd[e] = _top + room;
            _top += room;
        }
    }

    /// <summary>
    /// Moves entity <paramref name="entity"/>'s live events where <see cref="Plan"/> put them, or to the front of its
    /// region when <paramref name="added"/> new events would not fit behind them; returns where the new events go.
    /// </summary>
    public int MakeRoom(int entity, int added)
    {
        int start = Start[entity], live = End[entity] - start;
        int to = _moveTo[entity];
        if (to < 0 && End[entity] + added > RegionEnd[entity]) { to = RegionStart[entity]; }
        if (to >= 0 && to != start)
        {
            Move(start, to, live);
            Start[entity] = to;
            End[entity] = to + live;
        }
        return End[entity];
    }

    /// <summary>Drops the events before <paramref name="from"/> from <paramref name="entity"/>'s live range.</summary>
    public void DropBefore(int entity, int from)
    {
        Base[entity] += from - Start[entity];
        Start[entity] = from;
        if (from == End[entity])
        {
            // Nothing left: the region restarts empty, so appends need no compaction.
            Start[entity] = End[entity] = RegionStart[entity];
        }
    }

    private void Move(int from, int to, int count) => Copy(Time, Bits, Valid, from, Time, Bits, Valid, to, count);

    // Copies events [from, from + count) of one set of columns to [to, to + count) of another (or the same: spans copy
    // overlapping ranges correctly).
    private static void Copy(long[] time, long[][] bits, bool[][] valid, int from, long[] toTime, long[][] toBits, bool[][] toValid, int to, int count)
    {
        time.AsSpan(from, count).CopyTo(toTime.AsSpan(to, count));
        for (int s = 0; s < bits.Length; s++)
        {
            bits[s].AsSpan(from, count).CopyTo(toBits[s].AsSpan(to, count));
            valid[s].AsSpan(from, count).CopyTo(toValid[s].AsSpan(to, count));
        }
    }

    /// <summary>
    /// Gives every entity room for half as much again as its live and pending new events, with the free room all at
    /// the end: in place when the arena holds that and an eighth again (see <see cref="Compact"/>), else in fresh
    /// arrays of twice what is needed (also when the arena is over four times that). A fresh arena of an eighth
    /// more than needed at every rebuild was a batch run's largest garbage (five arenas, ~200 MiB at 10M events,
    /// each a large-object allocation whose first writes page-fault), and a serial step while the other workers wait.
    /// </summary>
    private void Rebuild(int[] entities, int[] added, int count)
    {
        if (_extra.Length < Start.Length) { _extra = new int[Start.Length]; }
        var extra = _extra;
        for (int k = 0; k < count; k++) { extra[entities[k]] = added[k]; }
        long total = 0;
        for (int e = 0; e < Start.Length; e++)
        {
            int live = End[e] - Start[e] + extra[e];
            if (live > 0) { total += Room(live); }
        }
        long fits = total + (total / 8);
        if (Time.Length >= fits && Time.Length <= 4 * fits)
        {
            Compact(extra);
            Compactions++;
        }
        else
        {
            long size = Math.Max(1024, 2 * total);
            if (size > Array.MaxLength)
            {
                if (fits > Array.MaxLength)
                {
                    throw Floe.Core.Errors.Errors.Unsupported($"the feature windows need {fits:N0} events in memory at once, more than one array holds; use shorter windows or fewer entities per run");
                }
                size = Array.MaxLength;
            }
            Reallocate((int)size, extra);
            Reallocations++;
        }
        for (int k = 0; k < count; k++)
        {
            _moveTo[entities[k]] = -1;
            extra[entities[k]] = 0;
        }
    }

    /// <summary>Rebuilds done in place (for tests and diagnostics).</summary>
    internal int Compactions { get; private set; }

    /// <summary>Rebuilds into fresh arrays (for tests and diagnostics).</summary>
    internal int Reallocations { get; private set; }

    // Per entity, the new events of the chunk being planned (zero outside Rebuild).
    private int[] _extra = [];
    // Entities with live events and their positions, for Compact's ordering.
    private int[] _order = [];
    private int[] _orderKeys = [];

    /// <summary>
    /// Rebuilds the layout in the arena's own arrays: live events slide down to the front in position order (each
    /// destination at or before its source, so nothing is overwritten before it is copied), then, from the last
    /// entity back, out to their new regions (each at or after its compacted place and before the next region).
    /// Two copies of the live events instead of one, in memory already mapped and cached, and no garbage.
    /// </summary>
    private void Compact(int[] extra)
    {
        int entities = Start.Length;
        if (_order.Length < entities)
        {
            _order = new int[entities];
            _orderKeys = new int[entities];
        }
        int n = 0;
        for (int e = 0; e < entities; e++)
        {
            if (End[e] > Start[e])
            {
                _order[n] = e;
                _orderKeys[n++] = Start[e];
            }
        }
        Array.Sort(_orderKeys, _order, 0, n);
        int top = 0;
        for (int k = 0; k < n; k++)
        {
            int e = _order[k];
            int live = End[e] - Start[e];
            if (Start[e] != top) { Move(Start[e], top, live); }
            Start[e] = top;
            End[e] = top + live;
            top += live;
        }
        // New regions in the same order, then the entities whose only events are new ones.
        int at = 0;
        for (int k = 0; k < n; k++)
        {
            int e = _order[k];
            RegionStart[e] = at;
            at += Room(End[e] - Start[e] + extra[e]);
            RegionEnd[e] = at;
        }
        for (int e = 0; e < entities; e++)
        {
            if (End[e] > Start[e]) { continue; }
            if (extra[e] == 0)
            {
                Start[e] = End[e] = RegionStart[e] = RegionEnd[e] = 0;
                continue;
            }
            Start[e] = End[e] = RegionStart[e] = at;
            at += Room(extra[e]);
            RegionEnd[e] = at;
        }
        for (int k = n - 1; k >= 0; k--)
        {
            int e = _order[k];
            int live = End[e] - Start[e];
            if (RegionStart[e] != Start[e]) { Move(Start[e], RegionStart[e], live); }
            Start[e] = RegionStart[e];
            End[e] = Start[e] + live;
        }
        _top = at;
    }

    /// <summary>
    /// Copies every entity's live events into fresh arrays of <paramref name="size"/> events, each entity with room
    /// for half as much again as its live and pending new events.
    /// </summary>
    private void Reallocate(int size, int[] extra)
    {
        var time = GC.AllocateUninitializedArray<long>(size);
        var bits = new long[_slots][];
        var valid = new bool[_slots][];
        for (int s = 0; s < _slots; s++)
        {
            bits[s] = GC.AllocateUninitializedArray<long>(size);
            valid[s] = GC.AllocateUninitializedArray<bool>(size);
        }
        int top = 0;
        for (int e = 0; e < Start.Length; e++)
        {
            int live = End[e] - Start[e];
            int want = live + extra[e];
            if (want == 0)
            {
                Start[e] = End[e] = RegionStart[e] = RegionEnd[e] = 0;
                continue;
            }
            int room = Room(want);
            Copy(Time, Bits, Valid, Start[e], time, bits, valid, top, live);
            Start[e] = RegionStart[e] = top;
            End[e] = top + live;
            RegionEnd[e] = top + room;
            top += room;
        }
        Time = time;
        Bits = bits;
        Valid = valid;
        _top = top;
    }
}
