using System.Numerics;

namespace Floe.Features.Tests.Engine;
using Floe.Features.Engine;

/// <summary>
/// Orders rows by (entity, time, arrival) with one stable LSD radix sort on a packed key
/// <c>entity &lt;&lt; timeBits | (time − minTime)</c>: stability keeps arrival order for equal keys, so no tie pass
/// is needed. Used when the packed key fits in 64 bits (the usual case: under a million entities and months of
/// microseconds); otherwise the caller falls back to counting sort plus per-entity sorts.
/// </summary>
internal static class OldRadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    public static bool TrySortByEntityAndTime(int[] entity, long[] time, int n, int maxId, ChunkArrays arrays, out int[] order, out int[] groupStarts)
    {
        order = [];
        groupStarts = [];
        if (n < 4096 || maxId < 0)
        {
            return false;
        }
        long minTime = long.MaxValue, maxTime = long.MinValue;
        for (int i = 0; i < n; i++)
        {
            long t = time[i];
            if (t < minTime) { minTime = t; }
            if (t > maxTime) { maxTime = t; }
        }
        ulong span = (ulong)(maxTime - minTime);
        int timeBits = span == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(span);
        int entityBits = 32 - BitOperations.LeadingZeroCount((uint)maxId);
        if (timeBits + entityBits > 64)
        {
            return false;
        }
        // Scratch comes from the shared pool (a chunk's sort buffers are reused by the next chunk); only the final
        // order is a fresh exact-length array, since it outlives the call.
        var pooledKeys = arrays.Keys.Rent(n);
        var pooledKeys2 = arrays.Keys.Rent(n);
        var pooledRows = arrays.Ints.Rent(n);
        var result = new int[n];
        var keys = pooledKeys;
        var rows = result;
        for (int i = 0; i < n; i++)
        {
            keys[i] = ((ulong)entity[i] << timeBits) | (ulong)(time[i] - minTime);
            rows[i] = i;
        }
        var keys2 = pooledKeys2;
        var rows2 = pooledRows;
        var counts = new int[Buckets];
        int totalBits = timeBits + entityBits;
        for (int shift = 0; shift < totalBits; shift += DigitBits)
        {
            Array.Clear(counts);
            for (int i = 0; i < n; i++) { counts[(int)(keys[i] >> shift) & (Buckets - 1)]++; }
            // A digit that is the same for every row changes nothing: skip the pass.
            if (counts[(int)(keys[0] >> shift) & (Buckets - 1)] == n) { continue; }
            int sum = 0;
            for (int b = 0; b < Buckets; b++) { int c = counts[b]; counts[b] = sum; sum += c; }
            for (int i = 0; i < n; i++)
            {
                int b = (int)(keys[i] >> shift) & (Buckets - 1);
                int dst = counts[b]++;
                keys2[dst] = keys[i];
                rows2[dst] = rows[i];
            }
            (keys, keys2) = (keys2, keys);
            (rows, rows2) = (rows2, rows);
        }
        if (!ReferenceEquals(rows, result)) { rows.AsSpan(0, n).CopyTo(result); }
        rows = result;
        arrays.Keys.Return(pooledKeys);
        arrays.Keys.Return(pooledKeys2);
        arrays.Ints.Return(pooledRows);
        var starts = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || entity[rows[i]] != entity[rows[i - 1]]) { starts.Add(i); }
        }
        starts.Add(n);
        order = rows;
        groupStarts = [.. starts];
        return true;
    }
}
