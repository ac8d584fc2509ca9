using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Output;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Features.Tests.Computation;

/// <summary>
/// A run that files its source's events by day (one scan) lays out each entity's room in the event arena from the
/// filed days where the arena is at least <see cref="BatchComputation.PlanFromFiledArenaBytes"/> (by default every
/// run): planned, no region ever moves; below the size, the regions grow by rebuilds. Either way the rows are the
/// same, in the same order.
/// </summary>
public sealed class FiledRoomsTests
{
    private const int Days = 5;

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    public void Compute_PlannedFromTheArenaSize_SameRowsEitherWay(int seed, int parallelism)
    {
        var events = TestEvents.Random(seed, 6_000, 150, Days * 24 * 60 * TestEvents.Minute);
        // The longest window covers the run, so a planned room is all the entity's events and no region moves.
        var definition = FeatureGroupParser.Parse("""
            {"name": "rooms", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [
              {"name": "cnt_1h", "agg": "count", "window": "1h"},
              {"name": "amount_sum_1d", "agg": "sum", "column": "amount", "window": "1d"},
              {"name": "amount_max_7d", "agg": "max", "column": "amount", "window": "7d"}]}
            """, DefinitionFormat.Json);
        var source = InMemoryEventSource.FromBatches([events.ToBatch()]);
        Assert.That(((IEventSource)source).PrunesByTime("event_time"), Is.False, "the run must take the filed path");

        var (planned, plannedRows) = Compute(definition, source, parallelism, 0);
        var (grown, grownRows) = Compute(definition, source, parallelism, long.MaxValue);
        var (byDefault, defaultRows) = Compute(definition, source, parallelism, BatchComputation.PlanFromFiledArenaBytes);

        Assert.That(planned.Reallocations + planned.Compactions, Is.Zero, "the arena was rebuilt: the rooms were not planned from the filed days");
        Assert.That(grown.Reallocations + grown.Compactions, Is.GreaterThan(0), "an arena below the size that pays for the plan is not planned");
        Assert.That(byDefault.Reallocations + byDefault.Compactions, Is.Zero, "even this run's small arena is planned at the default size");
        Assert.That(plannedRows, Has.Count.GreaterThan(1000));
        Assert.That(grownRows, Is.EqualTo(plannedRows), "same rows in the same order");
        Assert.That(defaultRows, Is.EqualTo(plannedRows), "same rows in the same order");
    }

    private static (EventArena Arena, List<string> Rows) Compute(FeatureGroupDefinition definition, IEventSource source, int parallelism, long filedPlanArenaBytes)
    {
        var rows = new RowsSink();
        EventArena? arena = null;
        var from = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        using var adapter = new BatchSinkAdapter(rows);
        BatchComputation.Run(definition, source, from, from.AddDays(Days + 2), adapter, parallelism, default, 500, 500,
            arenaAfter: a => arena = a, filedPlanArenaBytes: filedPlanArenaBytes);
        adapter.Complete();
        return (arena!, rows.Rows);
    }
}
