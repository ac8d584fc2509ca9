using System.Globalization;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>Which mappings <see cref="HugePages.FindHeapRange"/> advises, on /proc/self/maps text shaped like a GC reservation's.</summary>
[TestFixture]
public sealed partial class HugePagesTests
{
    // A thread stack (guard page + rw-p), then the GC reservation: committed regions, a reserved gap, more regions,
    // and the reserved tail; then another thread's guard page and stack, and a file mapping.
    private static readonly string[] Maps =
    [
        "7fc991942000-7fc991943000 ---p 00000000 00:00 0 ",
        "7fc991943000-7fc992143000 rw-p 00000000 00:00 0 ",
        "7fc9ae800000-7fc9ae821000 rw-p 00000000 00:00 0 ",
        "7fc9ae821000-7fc9b0800000 ---p 00000000 00:00 0 ",
        "7fc9b0800000-7fc9b0962000 rw-p 00000000 00:00 0 ",
        "7fc9b0962000-7fc9b3800000 ---p 00000000 00:00 0 ",
        "7fc9b3800000-7fc9b4ee4000 rw-p 00000000 00:00 0 ",
        "7fc9b4ee4000-7fd57378e000 ---p 00000000 00:00 0 ",
        "7fd57378e000-7fd57378f000 ---p 00000000 00:00 0 ",
        "7fd57378f000-7fd573f8f000 rw-p 00000000 00:00 0 ",
        "7fd573f8f000-7fd573fa0000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6",
    ];

    [Test]
    public void FindHeapRange_SpansTheProbesAndTheReservedTail_NotTheStacks()
    {
        var range = HugePages.FindHeapRange(Maps, 0x7fc9ae800100, 0x7fc9b3800010);
        Assert.That(range, Is.Not.Null);
        // From the small probe's mapping up through the reserved tail, and the guard page right above it (reserved
        // too, harmless), but not the rw-p stack after it nor the stack below.
        Assert.That(range!.Value.Start, Is.EqualTo(0x7fc9ae800000UL));
        Assert.That(range.Value.End, Is.EqualTo(0x7fd57378f000UL));
    }

    [Test]
    public void FindHeapRange_RefusesProbesInSeparateMappingsOrFarApart()
    {
        // A gap between the probes' mappings: not one reservation.
        Assert.That(HugePages.FindHeapRange(Maps, 0x7fc991943010, 0x7fc9b3800010), Is.Null);
        // A file mapping holds one probe.
        Assert.That(HugePages.FindHeapRange(Maps, 0x7fd57378f010, 0x7fd573f8f010), Is.Null);
        // An address no mapping holds.
        Assert.That(HugePages.FindHeapRange(Maps, 0x1000, 0x2000), Is.Null);
    }

    // As the GC lays a reservation out: its bookkeeping mapped just below it (merged with the reservation's unaligned
    // first page into one reserved mapping), then regions the GC handed out below the ones the probes land in.
    private static readonly string[] MapsWithRegionsBelow =
    [
        "7fc991942000-7fc991943000 ---p 00000000 00:00 0 ",
        "7fc991943000-7fc992143000 rw-p 00000000 00:00 0 ",
        "7fc9a0000000-7fc9a0200000 rw-p 00000000 00:00 0 ",
        "7fc9a0200000-7fc9ad800000 ---p 00000000 00:00 0 ",
        "7fc9ad800000-7fc9ada00000 rw-p 00000000 00:00 0 ",
        "7fc9ada00000-7fc9ae800000 ---p 00000000 00:00 0 ",
        .. Maps[2..],
    ];

    [Test]
    public void ExtendToReservationStart_CoversTheRegionsBelowTheProbes_NotTheBookkeeping()
    {
        var probed = HugePages.FindHeapRange(MapsWithRegionsBelow, 0x7fc9ae800100, 0x7fc9b3800010);
        Assert.That(probed, Is.EqualTo(((ulong)0x7fc9ae800000, (ulong)0x7fd57378f000)));
        // A reservation that starts one page into the reserved mapping below (the GC's first page was unmapped to
        // align it): the range runs down to there, over the region below the probes, and no further.
        ulong reserved = 0x7fd57378f000UL - 0x7fc9a0201000UL;
        Assert.That(HugePages.ExtendToReservationStart(MapsWithRegionsBelow, probed!.Value, reserved),
            Is.EqualTo(((ulong)0x7fc9a0201000, (ulong)0x7fd57378f000)));
    }

    [Test]
    public void ExtendToReservationStart_KeepsTheRange_WhenTheSizeIsUnknownOrTheSpanBelowIsNotAllAnonymous()
    {
        var probed = ((ulong)0x7fc9ae800000, (ulong)0x7fd57378f000);
        // Unknown size, a size the range already covers, and one larger than the address space below its end.
        Assert.That(HugePages.ExtendToReservationStart(MapsWithRegionsBelow, probed, 0), Is.EqualTo(probed));
        Assert.That(HugePages.ExtendToReservationStart(MapsWithRegionsBelow, probed, 0x7fd57378f000UL - 0x7fc9ae800000UL), Is.EqualTo(probed));
        Assert.That(HugePages.ExtendToReservationStart(MapsWithRegionsBelow, probed, 0x7fd57378f000UL + 1), Is.EqualTo(probed));
        // Down into the gap below the bookkeeping, or into the thread stack: not one reservation.
        Assert.That(HugePages.ExtendToReservationStart(MapsWithRegionsBelow, probed, 0x7fd57378f000UL - 0x7fc99f000000UL), Is.EqualTo(probed));
        Assert.That(HugePages.ExtendToReservationStart(MapsWithRegionsBelow, probed, 0x7fd57378f000UL - 0x7fc991943000UL), Is.EqualTo(probed));
        // A file mapped between the regions below and the probes.
        string[] withFile = [.. MapsWithRegionsBelow[..5], "7fc9ada00000-7fc9ae800000 r--p 00000000 08:01 99 /tmp/x", .. MapsWithRegionsBelow[6..]];
        Assert.That(HugePages.ExtendToReservationStart(withFile, probed, 0x7fd57378f000UL - 0x7fc9a0201000UL), Is.EqualTo(probed));
    }

    [Test]
    public void CommitWindow_IsTheReservationsStart_OnlyWhenTheRangeIsFarLarger()
    {
        // A 256 GiB reservation: the first 2 GiB.
        Assert.That(HugePages.CommitWindow(0x7f0000000000, 0x7f4000000000), Is.EqualTo(((ulong)0x7f0000000000, HugePages.CommitWindowBytes)));
        // A range too small to hold the window with room to spare, an empty one and a reversed one: none.
        Assert.That(HugePages.CommitWindow(0x7f0000000000, 0x7f0000000000 + 4 * HugePages.CommitWindowBytes - 4096), Is.Null);
        Assert.That(HugePages.CommitWindow(0x7f0000000000, 0x7f0000000000), Is.Null);
        Assert.That(HugePages.CommitWindow(0x7f4000000000, 0x7f0000000000), Is.Null);
    }

    [Test]
    public void AdviseGcHeap_ReadvisesAfterEachCollection_AndTheHeapKeepsItsValues()
    {
        HugePages.AdviseGcHeap();
        Assume.That(HugePages.Advised, "no GC reservation found in this host (not Linux, or the heap is not one mapping)");
        // Arrays allocated across collections (which decommit, recommit and move memory in the advised window) keep
        // what was written to them.
        var kept = new List<long[]>();
        for (int round = 0; round < 8; round++)
        {
            for (int i = 0; i < 16; i++)
            {
                var a = new long[(1 << 17) + i];
                for (int j = 0; j < a.Length; j += 511) { a[j] = round * 1_000_003L + i * 7919L + j; }
                if (i % 4 == 0) { kept.Add(a); }
            }
            GC.Collect(round % 3, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        // Full collections for the count: a gen-0 collection misses the next advising object when a collection another
        // thread triggered promoted it while the finalizer thread was still creating it (the suites' start-up hook
        // keeps a second such chain on the same thread, so that window is not rare); a full one finds it wherever it is.
        var before = HugePages.Readvised;
        for (int i = 0; i < 4; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        Assert.That(HugePages.Readvised, Is.GreaterThanOrEqualTo(before + 4), "the advice is given again after every collection");
        for (int k = 0; k < kept.Count; k++)
        {
            int round = k / 4, i = k % 4 * 4;
            var a = kept[k];
            for (int j = 0; j < a.Length; j += 511)
            {
                if (a[j] != round * 1_000_003L + i * 7919L + j) { Assert.Fail($"array {k} lost its value at {j}: {a[j]}"); }
            }
        }
    }

    [Test]
    public void AdviseGcHeap_LeavesTheProcessWorking()
    {
        HugePages.AdviseGcHeap();
        var big = new long[1 << 22];
        big[^1] = 7;
        Assert.That(big[^1], Is.EqualTo(7));
    }
    [Test]
    public void Reopen_MakesADecommittedStretchAccessibleAgain_AsOneMapping()
    {
        var (start, length) = OwnMapping();
        try
        {
            Decommit(start + Block, Block);
            Assert.That(Line(start + Block).Perms, Is.EqualTo("---p"));
            Assert.That(HugePages.Reopen(start, length), Is.True);
            var line = Line(start + Block);
            Assert.That(line.Perms, Is.EqualTo("rw-p"));
            // One mapping again (the kernel merges equal neighbours): no boundary left inside a 2 MiB block.
            Assert.That((line.Start, line.End), Is.EqualTo(((ulong)start, (ulong)start + length)));
        }
        finally
        {
            _ = Munmap(start, length);
        }
    }

    [Test]
    public void AdviseGcHeap_ReopensTheWindowAfterEachCollection()
    {
        HugePages.AdviseGcHeap();
        Assume.That(HugePages.Advised, "no GC reservation found in this host (not Linux, or the heap is not one mapping)");
        // The host's window (if it has one) stands in for a mapping of the test's own, decommitted in the middle as
        // the GC's decommits are, and the collection's finalizer must reopen it.
        var saved = HugePages.Window;
        var (start, length) = OwnMapping();
        try
        {
            HugePages.Window = (start, length);
            Decommit(start + Block, Block);
            Assert.That(Line(start + Block).Perms, Is.EqualTo("---p"));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.That(Line(start + Block).Perms, Is.EqualTo("rw-p"), "reopened after the collection, so the GC's recommits split no mapping");
        }
        finally
        {
            HugePages.Window = saved;
            _ = Munmap(start, length);
        }
    }

    private const int Block = 2 << 20;

    // Three 2 MiB blocks of fresh read-write memory, 2 MiB-aligned.
    private static (nint Start, nuint Length) OwnMapping()
    {
        nint raw = Mmap(0, 4 * Block, ProtReadWrite, MapPrivate | MapAnonymous, -1, 0);
        Assert.That(raw, Is.Not.EqualTo((nint)(-1)));
        nint start = (raw + Block - 1) & ~(nint)(Block - 1);
        if (start > raw) { _ = Munmap(raw, (nuint)(start - raw)); }
        nint end = start + (3 * Block);
        if (end < raw + (4 * Block)) { _ = Munmap(end, (nuint)(raw + (4 * Block) - end)); }
        return (start, 3 * Block);
    }

    // What the GC's decommit does: fresh, inaccessible memory mapped over the range.
    private static void Decommit(nint at, nuint length) =>
        Assert.That(Mmap(at, length, ProtNone, MapPrivate | MapAnonymous | MapFixed, -1, 0), Is.EqualTo(at));

    // The /proc/self/maps line holding address a: its range and permissions.
    private static (ulong Start, ulong End, string Perms) Line(nint a)
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var parts = line.Split(' ', 3);
            var range = parts[0].Split('-');
            ulong lo = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong hi = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if ((ulong)a >= lo && (ulong)a < hi) { return (lo, hi, parts[1]); }
        }
        return (0, 0, "unmapped");
    }

    private const int ProtNone = 0;
    private const int ProtReadWrite = 3;
    private const int MapPrivate = 0x02;
    private const int MapFixed = 0x10;
    private const int MapAnonymous = 0x20;

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
