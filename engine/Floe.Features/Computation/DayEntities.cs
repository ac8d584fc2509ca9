using Floe.Features.Definitions;

namespace Floe.Features.Computation;

/// <summary>
/// A source's events' entity ids by UTC day of event time, gathered by a first pass that reads only the entity, time
/// and filter columns (4 bytes an event): from them a batch run over a source read day by day plans each entity's room
/// in the event arena
/// (<see cref="BatchComputation.EntityRooms(SortedDictionary{long, List{ReadOnlyMemory{int}}}, long, int, int, int)"/>)
/// before the events are read.
/// </summary>
internal sealed class DayEntities
{
    /// <summary>Each day's entity ids (days since 1970-01-01), one array per batch that had events that day.</summary>
    public SortedDictionary<long, List<ReadOnlyMemory<int>>> Days { get; } = new();

    /// <summary>Files the first <paramref name="n"/> events' entity ids under their days.</summary>
    public void Add(int[] entity, long[] time, int n)
    {
        if (n == 0) { return; }
        var (first, last) = Durations.DayRange(time.AsSpan(0, n));
        if (first == last)
        {
            Filed(first, entity.Length == n ? entity : entity.AsSpan(0, n).ToArray());
            return;
        }
        var dayOf = GC.AllocateUninitializedArray<int>(n);
        var (dayAt, counts) = DayFiler.NumberDays(time, n, first, last, dayOf);
        // Scattered into one exact array a day.
        var arrays = new int[counts.Length][];
        for (int d = 0; d < counts.Length; d++) { arrays[d] = counts[d] == 0 ? [] : GC.AllocateUninitializedArray<int>(counts[d]); }
        var next = new int[counts.Length];
        for (int i = 0; i < n; i++)
        {
            int d = dayOf[i];
            arrays[d][next[d]++] = entity[i];
        }
        for (int d = 0; d < counts.Length; d++)
        {
            if (counts[d] > 0) { Filed(dayAt[d], arrays[d]); }
        }
    }

    private void Filed(long day, int[] ids)
    {
        if (!Days.TryGetValue(day, out var list)) { Days[day] = list = []; }
        list.Add(ids);
    }
}
