using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Core.Threading;
using Floe.Features.Engine;

namespace Floe.Features.Computation;

/// <summary>
/// Plans each entity's room in the event arena
/// (<see cref="BatchComputation.EntityRooms(SortedDictionary{long, List{FiledEvents}}, long, int, int, int)"/>)
/// from its event count on each day, which alone decides it. First each day's counts per entity, a day to a worker;
/// then, for blocks of entities in parallel and day after day within a block, the chunk recurrence as element-wise
/// vector operations over the days' counts. The one-thread plan it replaces unpacked every filed id (40 MB on the
/// 10M-event bench) and made five scattered passes over them between the read and the first chunk, while the other
/// cores waited.
/// </summary>
internal static class EntityRoomPlan
{
    /// <summary>Adds one to <c>counts[id]</c> for each event's entity id of the <paramref name="day"/>-th day.</summary>
    public delegate void DayCounter(int day, Span<int> counts);

    /// <summary>
    /// The most bytes of day counts (4 bytes an entity a day) a plan keeps for the days its window spans, when the
    /// run's entity ids (4 bytes an event, what the plan this replaced held) are fewer: past that, a day's counts are
    /// taken again when it leaves the window rather than kept (a long window over many sparse entities).
    /// </summary>
    public const long KeptCountBytes = 16L << 20;

    // Entities a worker takes at a time through the days: the block's state and a day's counts of it stay in cache.
    private const int BlockEntities = 2048;

    /// <summary>
    /// Each entity's room, from the days (<paramref name="days"/>: days since 1970-01-01, ascending;
    /// <paramref name="dayRows"/>: their event counts; <paramref name="count"/>: their entity ids), taken in the chunks
    /// ComputeDays forms (<paramref name="chunkRows"/>) with a window of <paramref name="windowDays"/> days (at least
    /// one), on up to <paramref name="parallelism"/> threads. Tests only: <paramref name="stepDays"/>, the new days
    /// counted at a time (0: one a thread); <paramref name="keepDropped"/>, keep the window's days' counts (true) or
    /// count a day again as it leaves the window (false) whatever their size.
    /// </summary>
    public static int[] Rooms(ReadOnlySpan<long> days, ReadOnlySpan<int> dayRows, DayCounter count, long windowDays, int entities, int chunkRows,
        int parallelism, int stepDays = 0, bool? keepDropped = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        var rooms = new int[entities];
        int n = days.Length;
        if (n == 0 || entities == 0) { return rooms; }
        var schedule = new Schedule(days, dayRows, windowDays, chunkRows);

        // A step counts a few new days, one a thread, then takes them through the recurrence. Kept, the counts are a
        // ring of day slots (day j in slot j % slots) holding the step's days and the earlier ones still to leave the
        // window; else two slots a step day, its counts and its dropped days'. A ring only as large as the window
        // needs (10M-event bench, 7-day window: 10 days of 100k entities, 4 MB) faulted fewer pages in than all 30
        // days at once (12 MB): the plan 13.9 against 15.3 ms median over 8 interleaved runs.
        if (stepDays <= 0) { stepDays = Math.Max(1, parallelism); }
        long events = 0;
        foreach (int rows in dayRows) { events += rows; }
        int ring = Math.Min(n, schedule.MostLiveDays() - 1 + stepDays);
        bool keep = keepDropped ?? ring * 4L * entities <= Math.Max(KeptCountBytes, 4 * events);
        int slots = keep ? ring : 2 * Math.Min(n, stepDays);

        // Outside the GC heap (see NativeInts): the collection after the read keeps what it frees.
        using var counts = new NativeInts(checked(slots * entities));
        using var state = new NativeInts(checked(4 * entities));
        state.GetSpan().Clear();
        int blocks = (entities + BlockEntities - 1) / BlockEntities;
        var work = new List<(int Day, bool Dropped)>();
        for (int first = 0; first < n;)
        {
            int last = keep
                ? Math.Min(n, schedule.LowestLiveDay(first) + slots) - 1
                : Math.Min(n, first + stepDays) - 1;
            work.Clear();
            for (int d = first; d <= last; d++)
            {
                work.Add((d, false));
                if (!keep && schedule.DroppedFrom(d) < schedule.DroppedTo(d)) { work.Add((d, true)); }
            }
            int stepFirst = first, stepLast = last;
            SharedWork.For(work.Count, parallelism, w =>
            {
                var (d, dropped) = work[w];
                var into = Slot(counts, keep ? d % slots : (2 * (d - stepFirst)) + (dropped ? 1 : 0));
                into.Clear();
                if (!dropped)
                {
                    count(d, into);
                    return;
                }
                for (int j = schedule.DroppedFrom(d); j < schedule.DroppedTo(d); j++) { count(j, into); }
            });
            bool final = last == n - 1;
            SharedWork.For(blocks, parallelism, b =>
            {
                int from = b * BlockEntities;
                int length = Math.Min(BlockEntities, entities - from);
                var inWindow = Slot(state, 0).Slice(from, length);
                var kept = Slot(state, 1).Slice(from, length);
                var held = Slot(state, 2).Slice(from, length);
                var total = Slot(state, 3).Slice(from, length);
                var most = rooms.AsSpan(from, length);
                for (int d = stepFirst; d <= stepLast; d++)
                {
                    if (keep)
                    {
                        for (int j = schedule.DroppedFrom(d); j < schedule.DroppedTo(d); j++) { Subtract(inWindow, Slot(counts, j % slots).Slice(from, length)); }
                    }
                    else if (schedule.DroppedFrom(d) < schedule.DroppedTo(d))
                    {
                        Subtract(inWindow, Slot(counts, (2 * (d - stepFirst)) + 1).Slice(from, length));
                    }
                    var day = Slot(counts, keep ? d % slots : 2 * (d - stepFirst)).Slice(from, length);
                    AddDay(day, inWindow, kept, held, total, most, schedule.StartsChunk(d), schedule.EndsChunk(d));
                }
                if (final) { Room(most, total); }
            });
            first = last + 1;
        }
        return rooms;

        Span<int> Slot(NativeInts block, int slot) => block.GetSpan().Slice(slot * entities, entities);
    }

    /// <summary>
    /// Day <paramref name="day"/>'s counts into the entities' state, the one-thread plan's steps element-wise: a chunk
    /// appends its new events after what the entity kept (<paramref name="held"/> from the chunk's first day, the most
    /// over the chunk's last), and each day in turn enters the window (<paramref name="inWindow"/>, its dropped days
    /// already taken off), an entity with events that day keeping the window's. The one-thread plan took the most only
    /// for entities with events in the chunk; for the others it is what they kept, never more than their most (what
    /// an entity keeps after a chunk is its window's events, at most those it kept before and the chunk's), so taking
    /// it for every entity changes nothing.
    /// </summary>
    private static void AddDay(ReadOnlySpan<int> day, Span<int> inWindow, Span<int> kept, Span<int> held, Span<int> total, Span<int> most, bool startsChunk, bool endsChunk)
    {
        int length = day.Length;
        inWindow = inWindow[..length];
        kept = kept[..length];
        held = held[..length];
        total = total[..length];
        most = most[..length];
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int c0 = ref MemoryMarshal.GetReference(day);
            ref int w0 = ref MemoryMarshal.GetReference(inWindow);
            ref int k0 = ref MemoryMarshal.GetReference(kept);
            ref int h0 = ref MemoryMarshal.GetReference(held);
            ref int t0 = ref MemoryMarshal.GetReference(total);
            ref int m0 = ref MemoryMarshal.GetReference(most);
            for (; i <= length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                nuint at = (nuint)i;
                var c = Vector256.LoadUnsafe(ref c0, at);
                var k = Vector256.LoadUnsafe(ref k0, at);
                var h = (startsChunk ? k : Vector256.LoadUnsafe(ref h0, at)) + c;
                var w = Vector256.LoadUnsafe(ref w0, at) + c;
                w.StoreUnsafe(ref w0, at);
                Vector256.ConditionalSelect(Vector256.Equals(c, Vector256<int>.Zero), k, w).StoreUnsafe(ref k0, at);
                h.StoreUnsafe(ref h0, at);
                (Vector256.LoadUnsafe(ref t0, at) + c).StoreUnsafe(ref t0, at);
                if (endsChunk) { Vector256.Max(Vector256.LoadUnsafe(ref m0, at), h).StoreUnsafe(ref m0, at); }
            }
        }
        for (; i < length; i++)
        {
            int c = day[i];
            int h = (startsChunk ? kept[i] : held[i]) + c;
            inWindow[i] += c;
            if (c != 0) { kept[i] = inWindow[i]; }
            held[i] = h;
            total[i] += c;
            if (endsChunk) { most[i] = Math.Max(most[i], h); }
        }
    }

    /// <summary><paramref name="inWindow"/> −= <paramref name="dropped"/>: a day's counts leaving the window.</summary>
    private static void Subtract(Span<int> inWindow, ReadOnlySpan<int> dropped)
    {
        int length = inWindow.Length;
        dropped = dropped[..length];
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int w0 = ref MemoryMarshal.GetReference(inWindow);
            ref int d0 = ref MemoryMarshal.GetReference(dropped);
            for (; i <= length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                nuint at = (nuint)i;
                (Vector256.LoadUnsafe(ref w0, at) - Vector256.LoadUnsafe(ref d0, at)).StoreUnsafe(ref w0, at);
            }
        }
        for (; i < length; i++) { inWindow[i] -= dropped[i]; }
    }

    /// <summary>
    /// Each entity's room from the most it held (<paramref name="most"/>, overwritten) and all its events: all of
    /// them when at most half as many again as that most, else that most and a quarter. Both are non-negative, so
    /// <c>total − most ≤ most / 2</c> is <c>total ≤ most + most / 2</c> without its overflow, and most and a quarter
    /// fits 32 unsigned bits.
    /// </summary>
    private static void Room(Span<int> most, ReadOnlySpan<int> total)
    {
        int length = most.Length;
        total = total[..length];
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref int m0 = ref MemoryMarshal.GetReference(most);
            ref int t0 = ref MemoryMarshal.GetReference(total);
            var largest = Vector256.Create((uint)Array.MaxLength);
            for (; i <= length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                nuint at = (nuint)i;
                var m = Vector256.LoadUnsafe(ref m0, at);
                var t = Vector256.LoadUnsafe(ref t0, at);
                var grown = Vector256.Min(m.AsUInt32() + Vector256.ShiftRightLogical(m, 2).AsUInt32(), largest).AsInt32();
                Vector256.ConditionalSelect(Vector256.LessThanOrEqual(t - m, Vector256.ShiftRightLogical(m, 1)), t, grown).StoreUnsafe(ref m0, at);
            }
        }
        for (; i < length; i++)
        {
            int m = most[i];
            most[i] = total[i] - m <= (m >> 1) ? total[i] : (int)Math.Min((uint)m + (uint)(m >> 2), (uint)Array.MaxLength);
        }
    }

    /// <summary>The days' chunks (ComputeDays' grouping) and the days each day drops from the window.</summary>
    private sealed class Schedule
    {
        private readonly bool[] _startsChunk;
        private readonly bool[] _endsChunk;
        // Days [0, _droppedTo[d]) have left the window once day d is in.
        private readonly int[] _droppedTo;

        public Schedule(ReadOnlySpan<long> days, ReadOnlySpan<int> dayRows, long windowDays, int chunkRows)
        {
            int n = days.Length;
            _startsChunk = new bool[n];
            _endsChunk = new bool[n];
            _droppedTo = new int[n];
            for (int first = 0; first < n;)
            {
                int last = first;
                long held = dayRows[first];
                while (last + 1 < n && !BatchComputation.Overflows(held, dayRows[last + 1], chunkRows)) { held += dayRows[++last]; }
                _startsChunk[first] = true;
                _endsChunk[last] = true;
                first = last + 1;
            }
            for (int d = 0, dropped = 0; d < n; d++)
            {
                for (; days[dropped] < days[d] - windowDays; dropped++) { }
                _droppedTo[d] = dropped;
            }
        }

        public bool StartsChunk(int day) => _startsChunk[day];

        public bool EndsChunk(int day) => _endsChunk[day];

        /// <summary>The first day that leaves the window as <paramref name="day"/> enters it.</summary>
        public int DroppedFrom(int day) => day == 0 ? 0 : _droppedTo[day - 1];

        /// <summary>The day after the last that leaves the window as <paramref name="day"/> enters it.</summary>
        public int DroppedTo(int day) => _droppedTo[day];

        /// <summary>
        /// The first day whose counts a step from <paramref name="first"/> on still needs from earlier steps: the
        /// earliest day not yet dropped that will be, else <paramref name="first"/>.
        /// </summary>
        public int LowestLiveDay(int first)
        {
            int pending = DroppedFrom(first);
            return pending < Math.Min(first, _droppedTo[^1]) ? pending : first;
        }

        /// <summary>The most days a step of one new day holds in keep mode: from its lowest live day to itself.</summary>
        public int MostLiveDays()
        {
            int most = 1;
            for (int d = 0; d < _droppedTo.Length; d++) { most = Math.Max(most, d + 1 - LowestLiveDay(d)); }
            return most;
        }
    }
}
