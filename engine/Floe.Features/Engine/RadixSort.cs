using System.Numerics;
using System.Runtime.CompilerServices;

namespace Floe.Features.Engine;

/// <summary>
/// Orders rows by (entity, time, arrival) with one stable LSD radix sort on a packed key
/// <c>entity &lt;&lt; timeBits | (time − minTime) / step</c>, where step is the largest of 10^6, 10^3 or 1 that
/// divides every time (whole-millisecond times take 27 bits a day instead of 37: one pass fewer). Stability keeps
/// arrival order for equal keys, so no tie pass is needed. When the row index fits below the key in 64 bits (a
/// 333k-event day of 100k entities: 17 + 27 + 19 bits) it rides in the key's low bits and each pass moves one
/// 8-byte word per row instead of a key and a row index; otherwise rows move beside the keys. Each pass is split
/// into blocks of rows on separate workers (a histogram per block, then each block scatters its rows to its own
/// offsets in order, which keeps the sort stable). Used when the key fits in 64 bits (under a million entities and
/// months of microseconds); otherwise the caller falls back to counting sort plus per-entity sorts.
/// </summary>
internal static class RadixSort
{
    // 12-bit digits sort the 10M bench's 34-bit keys in three passes instead of four, but it is a wash: cachegrind of
    // the 10M job, 12 against 11 bits, 0.35G fewer instructions in the passes and 10M more L1 write misses (4,096
    // scatter targets do not stay in L1), and no difference in the sort's thread CPU.
    private const int MaxDigitBits = 11;
    // Below this many rows a block's histogram and scatter cost less than handing it to another worker.
    private const int MinBlockRows = 32_768;

    /// <summary>
    /// Sorts rows [0, <paramref name="n"/>) by (entity, time, row) on up to <paramref name="parallelism"/> workers;
    /// false (and nothing sorted) when the chunk is too small to be worth it or the packed key does not fit. With
    /// <paramref name="sortedTime"/> (at least n long), each sorted row's time goes there too, read back from its key:
    /// the kernel then reads times in sorted order without gathering them from the chunk row by row.
    /// </summary>
    public static bool TrySortByEntityAndTime(int[] entity, long[] time, int n, int maxId, ChunkArrays arrays, int parallelism, long[]? sortedTime, out int[] order, out int[] groupStarts)
    {
        order = [];
        groupStarts = [];
        if (n < 4096 || maxId < 0)
        {
            return false;
        }
        int parts = Math.Clamp(Math.Min(parallelism, n / MinBlockRows), 1, 64);
        // The times' range and whether all are whole milliseconds or seconds, per block on the sort's workers and then
        // combined (min, max and "all" do not depend on the split): one thread alone scanned every row here before any
        // other pass could start (10M-event bench: ~0.6% of the job's samples, all on the main thread).
        var blockMin = new long[parts];
        var blockMax = new long[parts];
        var blockStep = new int[parts];
        ForBlocks(n, parts, (from, to, part) =>
        {
            long lo = long.MaxValue, hi = long.MinValue;
            bool ms = true, sec = true;
            for (int i = from; i < to; i++)
            {
                long t = time[i];
                if (t < lo) { lo = t; }
                if (t > hi) { hi = t; }
                // Literal divisors compile to multiplies; a whole second is a whole millisecond too.
                ms &= t % 1000 == 0;
                sec &= t % 1_000_000 == 0;
            }
            blockMin[part] = lo;
            blockMax[part] = hi;
            blockStep[part] = (ms ? 1 : 0) | (sec ? 2 : 0);
        });
        long minTime = long.MaxValue, maxTime = long.MinValue;
        bool millis = true, seconds = true;
        for (int p = 0; p < parts; p++)
        {
            minTime = Math.Min(minTime, blockMin[p]);
            maxTime = Math.Max(maxTime, blockMax[p]);
            millis &= (blockStep[p] & 1) != 0;
            seconds &= (blockStep[p] & 2) != 0;
        }
        long step = seconds ? 1_000_000 : millis ? 1000 : 1;
        ulong span = (ulong)(maxTime - minTime) / (ulong)step;
        int timeBits = span == 0 ? 0 : 64 - BitOperations.LeadingZeroCount(span);
        int entityBits = 32 - BitOperations.LeadingZeroCount((uint)maxId);
        int keyBits = timeBits + entityBits;
        if (keyBits > 64)
        {
            return false;
        }
        int rowBits = 32 - BitOperations.LeadingZeroCount((uint)(n - 1));
        bool packed = keyBits + rowBits <= 64;
        int low = packed ? rowBits : 0;

        // Scratch comes from the engine's pool (a chunk's sort buffers are reused by the next chunk); only the final
        // order is a fresh exact-length array, since it outlives the call.
        var pooledKeys = arrays.Keys.Rent(n);
        var pooledKeys2 = arrays.Keys.Rent(n);
        var pooledRows = packed ? null : arrays.Ints.Rent(n);
        var result = new int[n];
        var keys = pooledKeys;
        var keys2 = pooledKeys2;
        int[]? rows = packed ? null : result;
        int[]? rows2 = pooledRows;
        int timeShift = low, entityShift = low + timeBits;
        // All ones when the row index goes in the key's low bits, else nothing.
        ulong rowIn = packed ? ulong.MaxValue : 0;
        // Digits of equal width, as few passes as MaxDigitBits allows.
        int passes = (keyBits + MaxDigitBits - 1) / MaxDigitBits;
        int digitBits = passes == 0 ? 0 : (keyBits + passes - 1) / passes;
        int buckets = 1 << digitBits;
        int digitMask = buckets - 1;
        var counts = new int[parts * buckets];
        // The first pass's histogram is taken as the keys are built (one read of the keys fewer).
        ForBlocks(n, parts, (from, to, part) =>
        {
            // With no passes (every key 0) there is one bucket, counted and never read.
            var c = counts.AsSpan(part * buckets, buckets);
            if (step == 1000)
            {
                for (int i = from; i < to; i++)
                {
                    ulong k = ((ulong)entity[i] << entityShift) | ((ulong)(time[i] - minTime) / 1000 << timeShift) | ((ulong)i & rowIn);
                    keys[i] = k;
                    c[(int)(k >> low) & digitMask]++;
                }
            }
            else if (step == 1_000_000)
            {
                for (int i = from; i < to; i++)
                {
                    ulong k = ((ulong)entity[i] << entityShift) | ((ulong)(time[i] - minTime) / 1_000_000 << timeShift) | ((ulong)i & rowIn);
                    keys[i] = k;
                    c[(int)(k >> low) & digitMask]++;
                }
            }
            else
            {
                for (int i = from; i < to; i++)
                {
                    ulong k = ((ulong)entity[i] << entityShift) | ((ulong)(time[i] - minTime) << timeShift) | ((ulong)i & rowIn);
                    keys[i] = k;
                    c[(int)(k >> low) & digitMask]++;
                }
            }
            if (rows is not null)
            {
                for (int i = from; i < to; i++) { rows[i] = i; }
            }
        });

        bool counted = true;
        for (int shift = low; shift < low + keyBits; shift += digitBits)
        {
            if (Pass(keys, keys2, rows, rows2, n, shift, digitBits, parts, counts, counted))
            {
                (keys, keys2) = (keys2, keys);
                (rows, rows2) = (rows2, rows);
            }
            counted = false;
        }

        if (!packed && !ReferenceEquals(rows, result))
        {
            rows!.AsSpan(0, n).CopyTo(result);
        }
        // One read of the sorted keys gives each row's index (when it rides in the key), its time (every time is
        // minTime plus a multiple of step, so the key's time field gives it back exactly) and where each entity's
        // run starts: each block notes its runs' starts from its own first row on in the spare key buffer (a block
        // holds at most as many starts as rows), and they are joined after.
        ulong rowMask = packed ? (1UL << rowBits) - 1 : 0;
        ulong timeMask = timeBits >= 64 ? ulong.MaxValue : (1UL << timeBits) - 1;
        var sorted = keys;
        // The other key buffer is free by now.
        var spare = keys2;
        var startsIn = new int[parts];
        ForBlocks(n, parts, (from, to, part) =>
        {
            int found = 0;
            ulong previous = from == 0 ? ~0UL : EntityOf(sorted[from - 1], entityShift);
            for (int i = from; i < to; i++)
            {
                ulong k = sorted[i];
                if (packed) { result[i] = (int)(k & rowMask); }
                if (sortedTime is not null) { sortedTime[i] = minTime + ((long)((k >> timeShift) & timeMask) * step); }
                ulong e = EntityOf(k, entityShift);
                // Written every row, kept (found moves on) only where the entity changes: no branch on it.
                spare[from + found] = (ulong)i;
                found += e != previous ? 1 : 0;
                previous = e;
            }
            startsIn[part] = found;
        });
        int groups = 0;
        foreach (int found in startsIn) { groups += found; }
        groupStarts = new int[groups + 1];
        for (int p = 0, at = 0; p < parts; p++)
        {
            int from = (int)((long)n * p / parts);
            for (int k = 0; k < startsIn[p]; k++) { groupStarts[at++] = (int)spare[from + k]; }
        }
        groupStarts[groups] = n;
        arrays.Keys.Return(pooledKeys);
        arrays.Keys.Return(pooledKeys2);
        if (pooledRows is not null) { arrays.Ints.Return(pooledRows); }
        order = result;
        return true;
    }

    /// <summary>
    /// One stable counting pass on the digit at <paramref name="shift"/>, from keys (and rows) into keys2 (and
    /// rows2); false, with nothing moved, when every row has the same digit. With <paramref name="counted"/> the
    /// blocks' histograms of this digit are already in <paramref name="counts"/>.
    /// </summary>
    private static bool Pass(ulong[] keys, ulong[] keys2, int[]? rows, int[]? rows2, int n, int shift, int digitBits, int parts, int[] counts, bool counted)
    {
        int buckets = 1 << digitBits;
        int mask = buckets - 1;
        if (!counted)
        {
            Array.Clear(counts);
            ForBlocks(n, parts, (from, to, part) =>
            {
                var c = counts.AsSpan(part * buckets, buckets);
                for (int i = from; i < to; i++) { c[(int)(keys[i] >> shift) & mask]++; }
            });
        }
        int first = (int)(keys[0] >> shift) & mask;
        int same = 0;
        for (int p = 0; p < parts; p++) { same += counts[(p * buckets) + first]; }
        if (same == n) { return false; }
        // Block p's rows of bucket b go after every row of smaller buckets and after blocks < p's rows of bucket b.
        int sum = 0;
        for (int b = 0; b < buckets; b++)
        {
            for (int p = 0; p < parts; p++)
            {
                int at = (p * buckets) + b;
                int c = counts[at];
                counts[at] = sum;
                sum += c;
            }
        }
        ForBlocks(n, parts, (from, to, part) =>
        {
            var next = counts.AsSpan(part * buckets, buckets);
            if (rows is null)
            {
                for (int i = from; i < to; i++)
                {
                    ulong k = keys[i];
                    keys2[next[(int)(k >> shift) & mask]++] = k;
                }
            }
            else
            {
                for (int i = from; i < to; i++)
                {
                    ulong k = keys[i];
                    int dst = next[(int)(k >> shift) & mask]++;
                    keys2[dst] = k;
                    rows2![dst] = rows[i];
                }
            }
        });
        return true;
    }

    // A key's entity field; entityShift is 64 when entity and time both take no bits (one entity, one instant), and
    // a shift by 64 would be a shift by 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EntityOf(ulong key, int entityShift) => entityShift >= 64 ? 0 : key >> entityShift;

    // Rows [0, n) in `parts` contiguous blocks, each on its own worker (inline when one; see SharedWork).
    private static void ForBlocks(int n, int parts, Action<int, int, int> body)
    {
        if (parts == 1)
        {
            body(0, n, 0);
            return;
        }
        SharedWork.For(parts, parts, p => body((int)((long)n * p / parts), (int)((long)n * (p + 1) / parts), p));
    }
}
