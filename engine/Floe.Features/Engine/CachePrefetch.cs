using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Floe.Features.Engine;

/// <summary>
/// Asks the CPU to start loading a cache line that is about to be read. The kernel visits entities one after
/// another, and each visit starts with a handful of reads that miss the cache (the entity's window state, its saved
/// deques, its retained events at each window's left edge), each waiting on memory in turn; hinting the next few
/// entities' lines while the current one computes overlaps those waits. A hint is only a hint: an address that a
/// garbage collection has since moved costs a wasted load, never a wrong result.
/// </summary>
internal static class CachePrefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T at)
    {
        if (Sse.IsSupported) { Sse.Prefetch0(Unsafe.AsPointer(ref at)); }
    }

    /// <summary>Hints every line of <paramref name="bytes"/> bytes from <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Lines<T>(ref T at, int bytes)
    {
        if (!Sse.IsSupported) { return; }
        byte* p = (byte*)Unsafe.AsPointer(ref at);
        for (int i = 0; i < bytes; i += 64) { Sse.Prefetch0(p + i); }
        Sse.Prefetch0(p + bytes - 1);
    }
}
