namespace Floe.Features.Engine;

/// <summary>
/// Every entity's retained events in one set of flat arrays (struct of arrays): entity e owns the region
/// [<c>RegionStart</c>, <c>RegionEnd</c>) of its <see cref="Bounds"/> and its live events are [<c>Start</c>,
/// <c>End</c>), sorted by (time, arrival). A chunk appends an entity's new events behind its retained ones, so the kernel reads one
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
    // Events the caller expects to hold at once (Reserve): the arena's first arrays take that size, and a rebuild keeps
    // arrays of at least it in place.
    private long _reserved;
    private EntityBounds[] _bounds = [];
    // Per entity, the room Presize gave its region (empty when regions are sized by Room as they grow).
    private int[] _planned = [];

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
    /// Per slot, whether any event appended so far lacked a value (set by <see cref="SeeNulls"/>): until one does, a
    /// window's count is its number of events, every event has a value, and the slot has no <see cref="Valid"/> array.
    /// </summary>
    public bool[] NullsSeen { get; }

    /// <summary>Per slot, each event's value bits (long, double bits, or string id).</summary>
    public long[][] Bits { get; private set; }

    /// <summary>
    /// Per slot, whether the event has a (non-null) value; an empty array, read by no one, until the slot's first null
    /// (<see cref="NullsSeen"/>). A source column without nulls (the usual case) so takes no flag per event: on the 7-day
    /// set that is 11 MB of the arena, all of it touched on the first day.
    /// </summary>
    public bool[][] Valid { get; private set; }

    /// <summary>
    /// Marks slot <paramref name="slot"/> as having seen a null, giving it a <see cref="Valid"/> array in which every
    /// live event has a value. Call before appending the first event without a value; a later call does nothing.
    /// </summary>
    public void SeeNulls(int slot)
    {
        if (NullsSeen[slot]) { return; }
        NullsSeen[slot] = true;
        var valid = GC.AllocateUninitializedArray<bool>(Time.Length);
        // Only the live ranges need their flags; the rest is written by the appends that fill it.
        foreach (ref readonly var b in _bounds.AsSpan()) { valid.AsSpan(b.Start, b.End - b.Start).Fill(true); }
        Valid[slot] = valid;
    }

    /// <summary>Where <paramref name="entity"/>'s events sit (its live range, region and absolute numbering).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ref EntityBounds Bounds(int entity) => ref _bounds[entity];

    /// <summary>Entities the arena has room for.</summary>
    public int Entities => _bounds.Length;

    // Half as much again as needed: a region moves O(log) times as its entity grows, and compacting a full region
    // moves at most two events per appended event, for a third of the memory doubling would take.
    private static int Room(int events) => Math.Max(MinRegion, events + (events / 2));

    // The region a rebuild gives an entity that needs room for `events`: its planned room when that holds them, so a
    // rebuild keeps a presized layout's sizes; else half as much again as it needs.
    private int RoomFor(int entity, int events) =>
        entity < _planned.Length && events <= _planned[entity] ? _planned[entity] : Room(events);

    /// <summary>Hints the cache lines of <paramref name="entity"/>'s bounds (see <see cref="CachePrefetch"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void PrefetchBounds(int entity) => CachePrefetch.Line(ref _bounds[entity]);

    /// <summary>Hints the cache lines of event <paramref name="at"/>'s time and its value in slot <paramref name="slot"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void PrefetchEvent(int at, int slot)
    {
        if ((uint)at >= (uint)Time.Length) { return; }
        CachePrefetch.Line(ref Time[at]);
        if (slot >= 0)
        {
            CachePrefetch.Line(ref Bits[slot][at]);
            if (NullsSeen[slot]) { CachePrefetch.Line(ref Valid[slot][at]); }
        }
    }

    /// <summary>
    /// Sizes the arena's arrays for about <paramref name="events"/> retained events (with their regions' room) once it
    /// first needs arrays, and keeps arrays of that size when a rebuild finds them roomy. A batch run knows how many
    /// events each day holds before it computes any; growing by reallocation instead copied the live events into fresh
    /// arrays of twice the need several times, each copy first-touching memory (10M-event bench: ~70 MB of huge
    /// pages zeroed by the copies, and the retired arrays left as large-object garbage). Only capacity: too small a
    /// reserve grows as before, and pages of too large a one that no region reaches are never touched.
    /// </summary>
    public void Reserve(long events) => _reserved = Math.Clamp(events, 0, Array.MaxLength);

    /// <summary>
    /// Lays out, before any event is appended, a region of <paramref name="rooms"/>[e] events for every entity e, back
    /// to back, in arrays of that total and an eighth more (untouched unless an entity outgrows its room and moves
    /// there). A batch run over files knows how many events each entity will hold at most before it computes any
    /// (<see cref="Floe.Features.Computation.BatchComputation.EntityRooms(SortedDictionary{long, List{FiledEvents}}, long, int, int, int)"/>): regions of that size never move, where
    /// growing by half again left the regions an entity outgrew behind as holes, so the arena's pages touched reached
    /// ~1.8 times its events (10M events over 7 days, a 7-day window: 17.8M events' room, ~300 MB, for 10M live). A
    /// rebuild keeps each entity's planned room where it still holds its events. Returns false, leaving the arena as
    /// it was, when the arena already has arrays or the total does not fit one array.
    /// </summary>
    public bool Presize(ReadOnlySpan<int> rooms)
    {
        if (Time.Length > 0) { return false; }
        long total = 0;
        foreach (int r in rooms) { total += r; }
        long size = total + (total / 8) + 1024;
        if (size > Array.MaxLength) { return false; }
        EnsureEntities(rooms.Length);
        int at = 0;
        for (int e = 0; e < rooms.Length; e++)
        {
            ref var b = ref _bounds[e];
            b.Start = b.End = b.RegionStart = at;
            at += rooms[e];
            b.RegionEnd = at;
            b.MoveTo = -1;
        }
        Time = GC.AllocateUninitializedArray<long>((int)size);
        for (int s = 0; s < _slots; s++)
        {
            Bits[s] = GC.AllocateUninitializedArray<long>((int)size);
            Valid[s] = NullsSeen[s] ? GC.AllocateUninitializedArray<bool>((int)size) : [];
        }
        _planned = rooms.ToArray();
        _reserved = size;
        _top = at;
        return true;
    }

    /// <summary>Bytes of the arrays <see cref="Presize"/> takes for <paramref name="rooms"/> with <paramref name="slots"/> slots.</summary>
    public static long BytesFor(ReadOnlySpan<int> rooms, int slots)
    {
        long total = 0;
        foreach (int r in rooms) { total += r; }
        return (total + (total / 8) + 1024) * BytesPerEvent(slots);
    }

    /// <summary>
    /// Bytes an event takes with <paramref name="slots"/> slots: its time, and each slot's bits and flag (an upper
    /// bound: a slot without nulls has no flags).
    /// </summary>
    public static long BytesPerEvent(int slots) => 8 + (9L * slots);

    /// <summary>Makes room for entity ids below <paramref name="entities"/>.</summary>
    public void EnsureEntities(int entities)
    {
        if (_bounds.Length >= entities) { return; }
        int size = Math.Max(entities, _bounds.Length + (_bounds.Length / 8) + 1024);
        Array.Resize(ref _bounds, size);
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
            ref var b = ref _bounds[entities[k]];
            int live = b.End - b.Start;
            b.MoveTo = -1;
            if (b.RegionEnd - b.RegionStart >= live + added[k]) { continue; }
            int room = Room(live + added[k]);
            if ((long)_top + room > Time.Length)
            {
                Rebuild(entities, added, count);
                return;
            }
            b.MoveTo = _top;
            b.RegionStart = _top;
            b.RegionEnd = _top + room;
            _top += room;
        }
    }

    /// <summary>
    /// Moves entity <paramref name="entity"/>'s live events where <see cref="Plan"/> put them, or to the front of its
    /// region when <paramref name="added"/> new events would not fit behind them; returns where the new events go.
    /// </summary>
    public int MakeRoom(int entity, int added)
    {
        ref var b = ref _bounds[entity];
        int start = b.Start, live = b.End - start;
        int to = b.MoveTo;
        if (to < 0 && b.End + added > b.RegionEnd) { to = b.RegionStart; }
        if (to >= 0 && to != start)
        {
            Move(start, to, live);
            b.Start = to;
            b.End = to + live;
        }
        return b.End;
    }

    /// <summary>Drops the events before <paramref name="from"/> from <paramref name="entity"/>'s live range.</summary>
    public void DropBefore(int entity, int from)
    {
        ref var b = ref _bounds[entity];
        b.Base += from - b.Start;
        b.Start = from;
        if (from == b.End)
        {
            // Nothing left: the region restarts empty, so appends need no compaction.
            b.Start = b.End = b.RegionStart;
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
            if (valid[s].Length > 0) { valid[s].AsSpan(from, count).CopyTo(toValid[s].AsSpan(to, count)); }
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
        if (_extra.Length < _bounds.Length) { _extra = new int[_bounds.Length]; }
        var extra = _extra;
        for (int k = 0; k < count; k++) { extra[entities[k]] = added[k]; }
        long total = 0;
        for (int e = 0; e < _bounds.Length; e++)
        {
            int live = _bounds[e].End - _bounds[e].Start + extra[e];
            if (live > 0 || e < _planned.Length) { total += RoomFor(e, live); }
        }
        long fits = total + (total / 8);
        if (Time.Length >= fits && Time.Length <= Math.Max(4 * fits, _reserved))
        {
            Compact(extra);
            Compactions++;
        }
        else
        {
            long size = Math.Max(Math.Max(1024, 2 * total), _reserved);
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
            _bounds[entities[k]].MoveTo = -1;
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
        var bounds = _bounds;
        int entities = bounds.Length;
        if (_order.Length < entities)
        {
            _order = new int[entities];
            _orderKeys = new int[entities];
        }
        int n = 0;
        for (int e = 0; e < entities; e++)
        {
            if (bounds[e].End > bounds[e].Start)
            {
                _order[n] = e;
                _orderKeys[n++] = bounds[e].Start;
            }
        }
        Array.Sort(_orderKeys, _order, 0, n);
        int top = 0;
        for (int k = 0; k < n; k++)
        {
            ref var b = ref bounds[_order[k]];
            int live = b.End - b.Start;
            if (b.Start != top) { Move(b.Start, top, live); }
            b.Start = top;
            b.End = top + live;
            top += live;
        }
        // New regions in the same order, then the entities whose only events are new ones.
        int at = 0;
        for (int k = 0; k < n; k++)
        {
            int e = _order[k];
            ref var b = ref bounds[e];
            b.RegionStart = at;
            at += RoomFor(e, b.End - b.Start + extra[e]);
            b.RegionEnd = at;
        }
        for (int e = 0; e < entities; e++)
        {
            ref var b = ref bounds[e];
            if (b.End > b.Start) { continue; }
            if (extra[e] == 0 && e >= _planned.Length)
            {
                b.Start = b.End = b.RegionStart = b.RegionEnd = 0;
                continue;
            }
            b.Start = b.End = b.RegionStart = at;
            at += RoomFor(e, extra[e]);
            b.RegionEnd = at;
        }
        for (int k = n - 1; k >= 0; k--)
        {
            ref var b = ref bounds[_order[k]];
            int live = b.End - b.Start;
            if (b.RegionStart != b.Start) { Move(b.Start, b.RegionStart, live); }
            b.Start = b.RegionStart;
            b.End = b.Start + live;
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
            valid[s] = NullsSeen[s] ? GC.AllocateUninitializedArray<bool>(size) : [];
        }
        int top = 0;
        for (int e = 0; e < _bounds.Length; e++)
        {
            ref var b = ref _bounds[e];
            int live = b.End - b.Start;
            int want = live + extra[e];
            if (want == 0 && e >= _planned.Length)
            {
                b.Start = b.End = b.RegionStart = b.RegionEnd = 0;
                continue;
            }
            int room = RoomFor(e, want);
            Copy(Time, Bits, Valid, b.Start, time, bits, valid, top, live);
            b.Start = b.RegionStart = top;
            b.End = top + live;
            b.RegionEnd = top + room;
            top += room;
        }
        Time = time;
        Bits = bits;
        Valid = valid;
        _top = top;
    }
}
