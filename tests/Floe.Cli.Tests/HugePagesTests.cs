using NUnit.Framework;

namespace Floe.Cli.Tests;

/// <summary>Which mappings <see cref="HugePages.FindHeapRange"/> advises, on /proc/self/maps text shaped like a GC reservation's.</summary>
[TestFixture]
public sealed class HugePagesTests
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

    [Test]
    public void AdviseGcHeap_LeavesTheProcessWorking()
    {
        HugePages.AdviseGcHeap();
        var big = new long[1 << 22];
        big[^1] = 7;
        Assert.That(big[^1], Is.EqualTo(7));
    }
}
