using Floe.Features.Engine;
using Floe.Tests.Shared;

namespace Floe.Features.Tests.Engine;

public sealed class EventArenaTests
{
    /// <summary>
    /// Drives the arena as the engine does (plan a chunk's entities, make room and append each one's new events, drop
    /// what left the windows) through waves of entities that grow, burst and go quiet, so regions move, the arena
    /// grows into fresh arrays and later rebuilds in place; after every chunk each entity's live events (time, value
    /// bits and presence in two slots) and its absolute event number must be those a plain list per entity holds.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void PlanAppendDrop_WavesOfEntities_KeepEveryLiveEventAndRebuildInPlace(int seed)
    {
        var arena = new EventArena(2);
        DriveWaves(arena, seed);
        Assert.That(arena.Reallocations, Is.GreaterThan(1), "the arena never grew into fresh arrays");
        Assert.That(arena.Compactions, Is.GreaterThan(0), "the arena never rebuilt in place");
    }

    /// <summary>
    /// The same waves with a reserve of three times the arrays they grow into without one (more than four times the
    /// live events a rebuild then finds): the arena takes arrays of the reserve's size at once and rebuilds in place
    /// in them rather than shrinking into fresh ones, with every live event where the plain lists say.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    [Category(TestTier.Sweep)]
    public void Reserve_AboveTheNeed_OneAllocationOfThatSizeKeptThroughRebuilds(int seed)
    {
        var grown = new EventArena(2);
        DriveWaves(grown, seed);
        int reserve = 3 * grown.Time.Length;
        var arena = new EventArena(2);
        arena.Reserve(reserve);
        DriveWaves(arena, seed, chunks: TestTier.Size(160, 400));
        Assert.That(arena.Reallocations, Is.EqualTo(1), "the arena reallocated despite its reserve");
        Assert.That(arena.Time.Length, Is.EqualTo(reserve));
        Assert.That(arena.Bits[1].Length, Is.EqualTo(reserve));
        Assert.That(arena.Compactions, Is.GreaterThan(0), "the arena never rebuilt in place");
    }

    /// <summary>
    /// A reserve below the need: the arena grows past it into fresh arrays as it does without one.
    /// </summary>
    [Test]
    public void Reserve_BelowTheNeed_GrowsAsWithout()
    {
        var arena = new EventArena(2);
        arena.Reserve(2_000);
        DriveWaves(arena, 3);
        Assert.That(arena.Reallocations, Is.GreaterThan(1));
        Assert.That(arena.Time.Length, Is.GreaterThan(2_000));
    }

    /// <summary>
    /// Regions laid out up front with each entity's events of the whole run (what a batch run plans for a window as
    /// long as the run): no entity ever moves, so the arena keeps the planned arrays and layout, with no rebuild.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    public void Presize_EveryEntitysEvents_RegionsNeverMoveAndNoRebuild(int seed)
    {
        var totals = new int[WaveEntities];
        DriveWaves(new EventArena(2), seed, totals: totals);
        var arena = new EventArena(2);
        Assert.That(arena.Presize(totals), Is.True);
        long sum = totals.Sum();
        Assert.That(arena.Time.Length, Is.EqualTo(sum + (sum / 8) + 1024));
        var regions = new (int Start, int End)[WaveEntities];
        for (int e = 0; e < WaveEntities; e++) { regions[e] = (arena.Bounds(e).RegionStart, arena.Bounds(e).RegionEnd); }
        Assert.That(regions[WaveEntities - 1].End, Is.EqualTo(sum));

        DriveWaves(arena, seed);
        Assert.That(arena.Reallocations + arena.Compactions, Is.Zero, "the arena was rebuilt");
        for (int e = 0; e < WaveEntities; e++)
        {
            if ((arena.Bounds(e).RegionStart, arena.Bounds(e).RegionEnd) != regions[e])
            {
                Assert.That((arena.Bounds(e).RegionStart, arena.Bounds(e).RegionEnd), Is.EqualTo(regions[e]), $"entity {e}'s region moved");
            }
        }
    }

    /// <summary>
    /// Planned rooms of a third of each entity's events: the entities that outgrow theirs move out and the arena is
    /// rebuilt, every live event where the plain lists say; a rebuild keeps the planned room of an entity it still
    /// holds, so an entity whose events never outgrew it ends with that room.
    /// </summary>
    [TestCase(1)]
    [TestCase(3)]
    public void Presize_RoomsTooSmall_OutgrownEntitiesMoveAndRebuildsKeepThePlan(int seed)
    {
        var totals = new int[WaveEntities];
        DriveWaves(new EventArena(2), seed, totals: totals);
        var rooms = new int[WaveEntities];
        for (int e = 0; e < WaveEntities; e++) { rooms[e] = totals[e] / 3; }
        var arena = new EventArena(2);
        Assert.That(arena.Presize(rooms), Is.True);

        DriveWaves(arena, seed);
        Assert.That(arena.Reallocations + arena.Compactions, Is.GreaterThan(0), "the arena was never rebuilt");
        int kept = 0;
        for (int e = 0; e < WaveEntities; e++)
        {
            ref var b = ref arena.Bounds(e);
            if (b.End - b.Start <= rooms[e] && b.RegionEnd - b.RegionStart == rooms[e]) { kept++; }
        }
        Assert.That(kept, Is.GreaterThan(WaveEntities / 4), "rebuilds dropped the planned rooms");
    }

    /// <summary>An arena that already holds events is not laid out again.</summary>
    [Test]
    public void Presize_AfterEvents_Refused()
    {
        var arena = new EventArena(2);
        DriveWaves(arena, 1, chunks: 3);
        int length = arena.Time.Length;
        Assert.That(arena.Presize(new int[WaveEntities]), Is.False);
        Assert.That(arena.Time.Length, Is.EqualTo(length));
    }

    /// <summary>
    /// Slots whose first nulls arrive at chunk 40, after regions have moved and the arena has grown and rebuilt without
    /// flags: until then neither slot has a flag array; from then every live event appended before reads as present,
    /// and the flags move with their events through the later rebuilds, as the plain lists say.
    /// </summary>
    [TestCase(1)]
    [TestCase(2)]
    public void SeeNulls_MidRun_EarlierEventsPresentAndFlagsKeptThroughRebuilds(int seed)
    {
        var arena = new EventArena(2);
        DriveWaves(arena, seed, nullsFrom: 40);
        Assert.That(arena.NullsSeen, Is.EqualTo(new[] { true, true }));
        Assert.That(arena.Valid[0].Length, Is.EqualTo(arena.Time.Length));
        Assert.That(arena.Reallocations, Is.GreaterThan(1), "the arena never grew into fresh arrays");
        Assert.That(arena.Compactions, Is.GreaterThan(0), "the arena never rebuilt in place");
    }

    /// <summary>
    /// Nulls seen before the arena has arrays: the arrays it then takes, grown or laid out by <see cref="EventArena.Presize"/>,
    /// come with flag arrays of their size, and the flags written into them move with their events.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void SeeNulls_BeforeAnyArrays_TheArraysComeWithFlags(bool presized)
    {
        var totals = new int[WaveEntities];
        DriveWaves(new EventArena(2), 1, totals: totals);
        var arena = new EventArena(2);
        arena.SeeNulls(0);
        arena.SeeNulls(1);
        Assert.That(arena.Valid[0], Is.Empty);
        if (presized) { Assert.That(arena.Presize(totals), Is.True); }
        DriveWaves(arena, 1);
        Assert.That(arena.Valid[0].Length, Is.EqualTo(arena.Time.Length));
        Assert.That(arena.Valid[1].Length, Is.EqualTo(arena.Time.Length));
    }

    /// <summary>A run without nulls never gives its slots flag arrays, and its events all read as present.</summary>
    [Test]
    public void NoNulls_NoFlagArrays()
    {
        var arena = new EventArena(2);
        DriveWaves(arena, 1, nullsFrom: int.MaxValue);
        Assert.That(arena.NullsSeen, Is.EqualTo(new[] { false, false }));
        Assert.That(arena.Valid[0], Is.Empty);
        Assert.That(arena.Valid[1], Is.Empty);
    }

    private const int WaveEntities = 600;

    // totals: when given, receives each entity's number of events appended. nullsFrom: the chunk from which events may
    // lack values (before it every event has both values, and the slots have seen no null).
    private static void DriveWaves(EventArena arena, int seed, int chunks = 120, int[]? totals = null, int nullsFrom = 0)
    {
        var rnd = new Random(seed);
        const int entities = WaveEntities;
        var shadow = new List<(long Time, long B0, bool V0, long B1, bool V1)>[entities];
        var dropped = new long[entities];
        for (int e = 0; e < entities; e++) { shadow[e] = []; }
        long clock = 0;
        var ids = new List<int>();
        var added = new List<int>();
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            // A wave of a few hundred ids moves across the id space; a few entities burst.
            int from = (chunk * 7) % (entities - 200);
            ids.Clear();
            added.Clear();
            for (int e = 0; e < entities; e++)
            {
                bool inWave = e >= from && e < from + 200;
                if (!(inWave ? rnd.Next(3) != 0 : rnd.Next(40) == 0)) { continue; }
                ids.Add(e);
                added.Add(rnd.Next(10) == 0 ? rnd.Next(30, 200) : rnd.Next(1, 12));
            }
            arena.EnsureEntities(entities);
            arena.Plan([.. ids], [.. added], ids.Count);
            bool nulls = chunk >= nullsFrom;
            if (nulls)
            {
                arena.SeeNulls(0);
                arena.SeeNulls(1);
            }
            else if (arena.Valid[0].Length + arena.Valid[1].Length != 0)
            {
                Assert.Fail($"chunk {chunk}: flag arrays before any null");
            }
            for (int k = 0; k < ids.Count; k++)
            {
                int e = ids[k];
                int at = arena.MakeRoom(e, added[k]);
                for (int i = 0; i < added[k]; i++)
                {
                    var ev = (++clock, rnd.NextInt64(), !nulls || rnd.Next(4) != 0, rnd.NextInt64(), !nulls || rnd.Next(4) != 0);
                    arena.Time[at + i] = ev.Item1;
                    arena.Bits[0][at + i] = ev.Item2;
                    arena.Bits[1][at + i] = ev.Item4;
                    if (nulls)
                    {
                        arena.Valid[0][at + i] = ev.Item3;
                        arena.Valid[1][at + i] = ev.Item5;
                    }
                    shadow[e].Add(ev);
                }
                arena.Bounds(e).End = at + added[k];
                if (totals is not null) { totals[e] += added[k]; }
            }
            // Windows move on: some entities drop a part of their events, quiet ones often all of them.
            for (int e = 0; e < entities; e++)
            {
                int live = shadow[e].Count;
                if (live == 0 || rnd.Next(3) == 0) { continue; }
                int drop = e >= from && e < from + 200 ? rnd.Next(0, live / 2 + 1) : live;
                arena.DropBefore(e, arena.Bounds(e).Start + drop);
                shadow[e].RemoveRange(0, drop);
                dropped[e] += drop;
            }
            for (int e = 0; e < entities; e++)
            {
                var expected = shadow[e];
                int start = arena.Bounds(e).Start;
                // NUnit (and its message) only where a value differs: 72,000 entity checks of ~100 events each would
                // otherwise spend the test's time formatting messages of assertions that pass.
                if (arena.Bounds(e).End - start != expected.Count)
                {
                    Assert.That(arena.Bounds(e).End - start, Is.EqualTo(expected.Count), $"chunk {chunk}, entity {e}: live events");
                }
                if (arena.Bounds(e).Base != dropped[e])
                {
                    Assert.That(arena.Bounds(e).Base, Is.EqualTo(dropped[e]), $"chunk {chunk}, entity {e}: absolute number of the first live event");
                }
                for (int i = 0; i < expected.Count; i++)
                {
                    var x = expected[i];
                    var got = (arena.Time[start + i], arena.Bits[0][start + i], Present(arena, 0, start + i), arena.Bits[1][start + i], Present(arena, 1, start + i));
                    if (got != x)
                    {
                        Assert.That(got, Is.EqualTo(x), $"chunk {chunk}, entity {e}, event {i}");
                    }
                }
            }
        }
    }

    private static bool Present(EventArena arena, int slot, int at) => !arena.NullsSeen[slot] || arena.Valid[slot][at];
}
