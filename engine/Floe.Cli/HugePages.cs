using System.Globalization;
using System.Runtime.InteropServices;

namespace Floe.Cli;

/// <summary>
/// Asks Linux for transparent huge pages on the GC heap's reservation (<c>madvise(MADV_HUGEPAGE)</c>), which matters
/// where THP is in its common <c>madvise</c> mode. A batch job touches its heap for the first time at 4 KiB a fault,
/// and on a virtual machine each fault costs microseconds: the 12-feature job faulted ~46k pages at 1M events and
/// ~185k at 10M, a third of its CPU in the kernel. With huge pages the large arrays fault 2 MiB at a time (1M
/// events: ~26k faults, job CPU about -15%; 10M: ~90k faults, about -12%) for ~12-16 MiB more peak RSS (the partly
/// used 2 MiB pages). The GC reserves its regions as one mapping, so the advice is given once, at start, to the
/// mappings between two probe objects (one small, one on the large-object heap) and the reserved tail above them:
/// regions committed later inherit it. Nothing else in the process (thread stacks, native heaps) is advised.
/// Set <c>FLOE_HUGE_PAGES=0</c> to leave the heap on 4 KiB pages.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugePage = 14;

    // Regions put the large-object probe within a few regions of the small one; farther apart, the heap is not one
    // reservation (segments), and the span between could hold other mappings.
    private const ulong MaxProbeDistance = 1UL << 30;

    /// <summary>Gives the advice; any failure leaves the heap as it was (it is only a hint).</summary>
    public static void AdviseGcHeap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("FLOE_HUGE_PAGES") == "0") { return; }
        try
        {
            var small = new byte[16];
            var large = new byte[1 << 20];
            var smallHandle = GCHandle.Alloc(small, GCHandleType.Pinned);
            var largeHandle = GCHandle.Alloc(large, GCHandleType.Pinned);
            try
            {
                ulong a = (ulong)smallHandle.AddrOfPinnedObject();
                ulong b = (ulong)largeHandle.AddrOfPinnedObject();
                if (FindHeapRange(File.ReadAllLines("/proc/self/maps"), Math.Min(a, b), Math.Max(a, b)) is { } range)
                {
                    _ = Madvise((nint)range.Start, (nuint)(range.End - range.Start), MadvHugePage);
                }
            }
            finally
            {
                smallHandle.Free();
                largeHandle.Free();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DllNotFoundException or EntryPointNotFoundException)
        {
            // No /proc or no libc: stay on the default pages.
        }
    }

    /// <summary>
    /// The span of anonymous mappings from the one holding <paramref name="low"/> to the one holding
    /// <paramref name="high"/>, extended over the reserved (<c>---p</c>) anonymous mappings right above it; null when
    /// the probes are too far apart or a mapping in between is backed by a file or leaves a gap.
    /// </summary>
    internal static (ulong Start, ulong End)? FindHeapRange(IReadOnlyList<string> maps, ulong low, ulong high)
    {
        if (high - low > MaxProbeDistance) { return null; }
        var entries = new List<(ulong Start, ulong End, string Perms, bool Anonymous)>(maps.Count);
        foreach (var line in maps)
        {
            // start-end perms offset dev inode [path]
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 5) { continue; }
            int dash = parts[0].IndexOf('-', StringComparison.Ordinal);
            if (dash < 0) { continue; }
            ulong start = ulong.Parse(parts[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(parts[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            bool anonymous = parts[4] == "0" && (parts.Length < 6 || parts[5].Trim().Length == 0);
            entries.Add((start, end, parts[1], anonymous));
        }
        int first = entries.FindIndex(m => m.Start <= low && low < m.End);
        int last = entries.FindIndex(m => m.Start <= high && high < m.End);
        if (first < 0 || last < first) { return null; }
        for (int i = first; i <= last; i++)
        {
            if (!entries[i].Anonymous || (i > first && entries[i].Start != entries[i - 1].End)) { return null; }
        }
        while (last + 1 < entries.Count && entries[last + 1].Anonymous && entries[last + 1].Start == entries[last].End && entries[last + 1].Perms == "---p")
        {
            last++;
        }
        return (entries[first].Start, entries[last].End);
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
