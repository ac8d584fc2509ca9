using System.Globalization;
using System.Runtime.InteropServices;

namespace Floe.Core.Tests.SuiteHost;

/// <summary>
/// The suites' start-up hook (tests/Floe.HugePagesHook, set for every suite by CMakeLists.txt) left this process's GC
/// heap eligible for transparent huge pages. Checked here, in a suite that never advises its heap itself, so a hook that
/// stops finding the heap (a new GC layout, a moved assembly) fails a test instead of only costing page faults.
/// </summary>
[TestFixture]
public sealed class HugePagesHookTests
{
    [Test]
    public void SuiteProcess_StartedByCtest_HasItsGcHeapEligibleForHugePages()
    {
        var hooks = Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS") ?? "";
        if (!hooks.Contains("Floe.HugePagesHook", StringComparison.Ordinal))
        {
            Assert.Ignore("this suite was started without the start-up hook (ctest starts every suite with it)");
        }
        var probe = new byte[64];
        var handle = GCHandle.Alloc(probe, GCHandleType.Pinned);
        try
        {
            ulong address = (ulong)handle.AddrOfPinnedObject();
            Assert.That(ThpEligible(File.ReadAllLines("/proc/self/smaps"), address), Is.EqualTo(1),
                $"the mapping holding a heap object at 0x{address:x} is not eligible for huge pages");
        }
        finally
        {
            handle.Free();
        }
    }

    // The THPeligible field of the smaps entry whose range holds the address (-1 when none does).
    private static int ThpEligible(string[] smaps, ulong address)
    {
        bool inside = false;
        foreach (var line in smaps)
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("THPeligible:", StringComparison.Ordinal))
            {
                return int.Parse(line.AsSpan("THPeligible:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }
}
