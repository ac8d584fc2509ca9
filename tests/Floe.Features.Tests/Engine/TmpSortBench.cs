using Floe.Features.Engine;
namespace Floe.Features.Tests.Engine;
public sealed class TmpSortBench
{
    [Test, Explicit]
    public void Bench()
    {
        var rnd = new Random(1);
        int n = 333_333, entities = 100_000;
        var cum = new double[entities]; double tot = 0;
        for (int e = 0; e < entities; e++) { tot += 1.0 / (e + 1); cum[e] = tot; }
        var entity = new int[n]; var time = new long[n];
        for (int i = 0; i < n; i++) { int e = Array.BinarySearch(cum, rnd.NextDouble() * tot); entity[i] = Math.Min(entities - 1, e < 0 ? ~e : e); time[i] = 1_704_067_200_000_000L + rnd.NextInt64(86_400_000) * 1000; }
        var arrays = new ChunkArrays();
        for (int rep = 0; rep < 3; rep++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int k = 0; k < 30; k++) { OldRadixSort.TrySortByEntityAndTime(entity, time, n, entities - 1, arrays, out _, out _); }
            var old = sw.Elapsed.TotalSeconds; sw.Restart();
            for (int k = 0; k < 30; k++) { RadixSort.TrySortByEntityAndTime(entity, time, n, entities - 1, arrays, 1, out _, out _); }
            var new1 = sw.Elapsed.TotalSeconds; sw.Restart();
            for (int k = 0; k < 30; k++) { RadixSort.TrySortByEntityAndTime(entity, time, n, entities - 1, arrays, 2, out _, out _); }
            var new2 = sw.Elapsed.TotalSeconds; sw.Restart();
            for (int k = 0; k < 30; k++) { ChunkSorter.SortByEntityAndTime(new EventChunk(n, [], entity, time, [], []), 1, arrays); }
            var cs = sw.Elapsed.TotalSeconds;
            TestContext.Out.WriteLine($"30 x 333k: old {old:F3} s, new 1 thread {new1:F3} s, new 2 threads {new2:F3} s, chunksorter {cs:F3}");
        }
    }
}
