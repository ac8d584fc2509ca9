namespace Floe.Features.Engine;

/// <summary>
/// Orders a chunk's rows by (entity, time, arrival): a stable counting sort by entity id, then a time sort inside
/// each entity group that is skipped when the group is already in time order (the common case for logs).
/// </summary>
internal static class ChunkSorter
{
    /// <summary>
    /// Returns row indices in order, the start of each entity group (plus a final end marker), and each sorted row's
    /// time (rented from <paramref name="arrays"/>, possibly longer than the chunk: hand it back once read).
    /// </summary>
    public static (int[] Order, int[] GroupStarts, long[] SortedTime) SortByEntityAndTime(EventChunk chunk, int parallelism, ChunkArrays arrays)
    {
        int n = chunk.Length;
        var entity = chunk.Entity;
        int maxId = -1;
        for (int i = 0; i < n; i++) { if (entity[i] > maxId) { maxId = entity[i]; } }
        var sortedTime = arrays.Longs.Rent(n);
        if (RadixSort.TrySortByEntityAndTime(entity, chunk.Time, n, maxId, arrays, parallelism, sortedTime, out var radixOrder, out var radixStarts))
        {
            return (radixOrder, radixStarts, sortedTime);
        }
        var order = new int[n];
        int[] groupStarts;
        if (maxId < 4L * n + 1024)
        {
            // Counting sort: O(n + entities), stable, so arrival order is kept within each entity.
            var counts = new int[maxId + 2];
            for (int i = 0; i < n; i++) { counts[entity[i] + 1]++; }
            int groups = 0;
            for (int e = 1; e < counts.Length; e++) { if (counts[e] > 0) { groups++; } }
            groupStarts = new int[groups + 1];
            var next = new int[maxId + 1];
            int pos = 0;
            for (int e = 0, g = 0; e <= maxId; e++)
            {
                int c = counts[e + 1];
                next[e] = pos;
                if (c > 0) { groupStarts[g++] = pos; }
                pos += c;
            }
            groupStarts[groups] = n;
            for (int i = 0; i < n; i++) { order[next[entity[i]]++] = i; }
        }
        else
        {
            var keys = new long[n];
            for (int i = 0; i < n; i++) { order[i] = i; keys[i] = ((long)entity[i] << 32) | (uint)i; }
            Array.Sort(keys, order);
            var starts = new List<int>();
            for (int i = 0; i < n; i++)
            {
                if (i == 0 || entity[order[i]] != entity[order[i - 1]]) { starts.Add(i); }
            }
            starts.Add(n);
            groupStarts = [.. starts];
        }

        var time = chunk.Time;
        int groupCount = groupStarts.Length - 1;
        Parallel.For(0, Math.Min(parallelism, Math.Max(1, groupCount)), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, part =>
        {
            int parts = Math.Min(parallelism, Math.Max(1, groupCount));
            long[]? scratch = null;
            int[]? idx = null;
            for (int g = (int)((long)groupCount * part / parts); g < (int)((long)groupCount * (part + 1) / parts); g++)
            {
                int a = groupStarts[g], b = groupStarts[g + 1];
                bool sorted = true;
                for (int i = a + 1; i < b; i++)
                {
                    if (time[order[i]] < time[order[i - 1]]) { sorted = false; break; }
                }
                if (sorted) { continue; }
                int len = b - a;
                if (scratch is null || scratch.Length < len) { scratch = new long[Math.Max(len, 256)]; idx = new int[scratch.Length]; }
                for (int i = 0; i < len; i++) { scratch[i] = time[order[a + i]]; idx![i] = order[a + i]; }
                Array.Sort(scratch, idx!, 0, len);
                idx.AsSpan(0, len).CopyTo(order.AsSpan(a, len));
                // Array.Sort is not stable: restore arrival order inside runs of equal time.
                for (int i = a; i < b;)
                {
                    int j = i + 1;
                    while (j < b && scratch[j - a] == scratch[i - a]) { j++; }
                    if (j - i > 1) { Array.Sort(order, i, j - i); }
                    i = j;
                }
            }
        });
        for (int i = 0; i < n; i++) { sortedTime[i] = time[order[i]]; }
        return (order, groupStarts, sortedTime);
    }
}
