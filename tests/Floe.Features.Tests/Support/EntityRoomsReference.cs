using Floe.Features.Definitions;

namespace Floe.Features.Tests.Support;

/// <summary>
/// The entity-room plan as the engine computed it before it counted days in parallel (session 26): five passes over
/// the days' entity ids on one thread, entity by entity. Kept as the oracle of
/// <see cref="Floe.Features.Computation.BatchComputation.EntityRooms(SortedDictionary{long, List{ReadOnlyMemory{int}}}, long, int, int, int)"/>.
/// </summary>
internal static class EntityRoomsReference
{
    public static int[]? Rooms(SortedDictionary<long, List<ReadOnlyMemory<int>>> days, long longestWindowMicros, int entities, int chunkRows)
    {
        if (days.Count == 0 || longestWindowMicros <= 0 || longestWindowMicros == long.MaxValue) { return null; }
        long windowDays = (longestWindowMicros + Durations.MicrosPerDay - 1) / Durations.MicrosPerDay;
        var dayList = new long[days.Count];
        var pieces = new List<ReadOnlyMemory<int>>[days.Count];
        int n = 0;
        foreach (var (day, list) in days)
        {
            dayList[n] = day;
            pieces[n++] = list;
        }
        var inWindow = new int[entities];
        var kept = new int[entities];
        var added = new int[entities];
        var most = new int[entities];
        var total = new int[entities];
        int dropped = 0;
        for (int first = 0; first < n;)
        {
            int last = first;
            long held = Rows(pieces[first]);
            while (last + 1 < n && !(held > 0 && held + Rows(pieces[last + 1]) > chunkRows))
            {
                held += Rows(pieces[++last]);
            }
            for (int d = first; d <= last; d++)
            {
                foreach (var piece in pieces[d])
                {
                    foreach (int e in piece.Span) { added[e]++; }
                }
            }
            for (int d = first; d <= last; d++)
            {
                foreach (var piece in pieces[d])
                {
                    foreach (int e in piece.Span)
                    {
                        if (added[e] == 0) { continue; }
                        most[e] = Math.Max(most[e], kept[e] + added[e]);
                        total[e] += added[e];
                        added[e] = 0;
                    }
                }
            }
            for (int d = first; d <= last; d++)
            {
                for (; dayList[dropped] < dayList[d] - windowDays; dropped++)
                {
                    foreach (var piece in pieces[dropped])
                    {
                        foreach (int e in piece.Span) { inWindow[e]--; }
                    }
                }
                foreach (var piece in pieces[d])
                {
                    foreach (int e in piece.Span) { inWindow[e]++; }
                }
                foreach (var piece in pieces[d])
                {
                    foreach (int e in piece.Span) { kept[e] = inWindow[e]; }
                }
            }
            first = last + 1;
        }
        for (int e = 0; e < entities; e++)
        {
            long m = most[e];
            most[e] = total[e] <= m + (m / 2) ? total[e] : (int)Math.Min(m + (m / 4), System.Array.MaxLength);
        }
        return most;
    }

    private static int Rows(List<ReadOnlyMemory<int>> pieces)
    {
        int rows = 0;
        foreach (var piece in pieces) { rows += piece.Length; }
        return rows;
    }
}
