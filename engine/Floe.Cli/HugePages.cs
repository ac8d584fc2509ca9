using System.Globalization;
using System.Text;
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
/// <para>The advice alone left most of the heap on 4 KiB pages: a huge page is only faulted where the whole aligned
/// 2 MiB block lies inside one mapping, and the GC commits a region a little at a time (<c>mprotect</c> plus
/// <c>MADV_DODUMP</c>, which splits the reserved mapping at every commit frontier) and decommits by mapping fresh
/// <c>PROT_NONE</c> memory over a range (a new mapping, without the advice). So the first
/// <see cref="CommitWindowBytes"/> of the reservation are made readable, writable and dumpable up front, which
/// leaves the GC's commits there nothing to split (untouched pages still cost no memory), and the advice is given
/// again after every collection, so that ranges decommitted and later committed again get huge pages too
/// (1M-event feature job: ~22k faults to ~5.3k, CPU -22%, peak RSS +8 MiB; 10M: ~85k to ~27k, CPU -9%, +20 MiB;
/// bench/RESULTS.md, "GC heap on huge pages"). After every collection the window's decommitted ranges are also made
/// accessible again (<see cref="ReopenWindow"/>), so the GC's piecemeal recommits of them split no mapping.</para>
/// <para>The probes lie in the regions the GC handed out first, but not at the reservation's start: the first regions
/// (and regions freed and handed out again) lie below them, and were left on 4 KiB pages, about 2k faults of the
/// 1M-event job's ~10k. So the range runs down to where the reservation starts: its end less its size
/// (<c>GCRegionRange</c>), when the mappings in between are all anonymous (1M-event job: ~10.1k faults to ~8.8k).</para>
/// Set <c>FLOE_HUGE_PAGES=0</c> to leave the heap on 4 KiB pages.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugePage = 14;
    private const int MadvDoDump = 17;
    private const int ProtReadWrite = 3;

    /// <summary>
    /// The reservation's first bytes made accessible up front: more than the largest heap the feature bench builds
    /// (~0.5 GiB at 10M events; a 1 GiB window left ~4% more faults there than 2 GiB). Only address space: the kernel
    /// charges overcommit accounting, not memory, and pages stay unbacked until touched.
    /// </summary>
    internal const ulong CommitWindowBytes = 2UL << 30;

    // The window must lie well inside the reserved tail (the GC reserves hundreds of GiB), never reaching whatever
    // mapping follows the reservation.
    private const ulong MinRangePerWindow = 4;

    private static nint s_heapStart;
    private static nuint s_heapLength;
    private static nint s_windowStart;
    private static nuint s_windowLength;

    // Regions put the large-object probe within a few regions of the small one; farther apart, the heap is not one
    // reservation (segments), and the span between could hold other mappings.
    private const ulong MaxProbeDistance = 1UL << 30;

    /// <summary>Gives the advice; any failure leaves the heap as it was (it is only a hint).</summary>
    public static void AdviseGcHeap()
    {
        if (Advised || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("FLOE_HUGE_PAGES") == "0") { return; }
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
                var maps = ReadMaps();
                if (maps is not null && FindHeapRange(maps, Math.Min(a, b), Math.Max(a, b)) is { } probed)
                {
                    var range = ExtendToReservationStart(maps, probed, ReservedBytes());
                    s_heapStart = (nint)range.Start;
                    s_heapLength = (nuint)(range.End - range.Start);
                    _ = Madvise(s_heapStart, s_heapLength, MadvHugePage);
                    if (CommitWindow(range.Start, range.End) is { } window
                        && Mprotect((nint)window.Start, (nuint)window.Length, ProtReadWrite) == 0)
                    {
                        _ = Madvise((nint)window.Start, (nuint)window.Length, MadvDoDump);
                        s_windowStart = (nint)window.Start;
                        s_windowLength = (nuint)window.Length;
                    }
                    _ = new ReadviseAfterCollection();
                }
            }
            finally
            {
                smallHandle.Free();
                largeHandle.Free();
            }
        }
        catch (Exception e) when (e is FormatException or DllNotFoundException or EntryPointNotFoundException)
        {
            // No /proc or no libc: stay on the default pages.
        }
    }

    /// <summary>Whether the heap was advised (a range found and the call made).</summary>
    internal static bool Advised => s_heapLength > 0;

    /// <summary>Collections that re-advised the heap since start (zero until one ran, or when no advice was given).</summary>
    internal static int Readvised;

    /// <summary>
    /// The part of the advised range [<paramref name="start"/>, <paramref name="end"/>) to make accessible up front: its
    /// first <see cref="CommitWindowBytes"/>, or null when the range is too small to be the GC's reservation with room
    /// to spare.
    /// </summary>
    internal static (ulong Start, ulong Length)? CommitWindow(ulong start, ulong end) =>
        end > start && end - start >= MinRangePerWindow * CommitWindowBytes ? (start, CommitWindowBytes) : null;

    /// <summary>
    /// Makes the commit window readable, writable and dumpable again where the GC decommitted parts of it (a decommit
    /// maps fresh <c>PROT_NONE</c> memory over the range): the GC then commits those ranges a little at a time, each
    /// <c>mprotect</c> moving a mapping boundary through a 2 MiB block, and every block first touched while a boundary
    /// crossed it stayed on 4 KiB pages for good (1M-event feature job: ~4k of its ~7.5k faults, 2 MiB blocks of
    /// 512 faults each after the collection between reading and computing). Reopened, those commits change nothing
    /// and the next touch of a block faults one huge page. Safe for the GC: it never touches decommitted memory, and
    /// memory made accessible again stays untouched, so zero, until it commits and uses it. One <c>mprotect</c> and one
    /// <c>madvise</c> over the window, each walking its few hundred mappings.
    /// </summary>
    internal static void ReopenWindow() => Reopen(s_windowStart, s_windowLength);

    /// <summary>Makes [<paramref name="start"/>, + <paramref name="length"/>) readable, writable and dumpable; false when it could not.</summary>
    internal static bool Reopen(nint start, nuint length) =>
        length > 0 && Mprotect(start, length, ProtReadWrite) == 0 && Madvise(start, length, MadvDoDump) == 0;

    /// <summary>
    /// The commit window made accessible up front (see <see cref="CommitWindowBytes"/>), empty when none was; tests
    /// point it at memory of their own to see the collections reopen it.
    /// </summary>
    internal static (nint Start, nuint Length) Window
    {
        get => (s_windowStart, s_windowLength);
        set => (s_windowStart, s_windowLength) = value;
    }

    /// <summary>
    /// Reopens the commit window (<see cref="ReopenWindow"/>) and gives the advice again when it is finalized, then
    /// leaves a new instance for the next collection: one lives in generation 0, so this runs (on the finalizer thread)
    /// after every collection, as the GC's decommits of the last one are done and mostly before those ranges are
    /// committed again. One <c>madvise</c> over the reservation walks its few hundred mappings, microseconds.
    /// </summary>
    private sealed class ReadviseAfterCollection
    {
        ~ReadviseAfterCollection()
        {
            ReopenWindow();
            _ = Madvise(s_heapStart, s_heapLength, MadvHugePage);
            Interlocked.Increment(ref Readvised);
            _ = new ReadviseAfterCollection();
        }
    }

    /// <summary>
    /// The span of anonymous mappings from the one holding <paramref name="low"/> to the one holding
    /// <paramref name="high"/>, extended over the reserved (<c>---p</c>) anonymous mappings right above it; null when
    /// the probes are too far apart or a mapping in between is backed by a file or leaves a gap.
    /// </summary>
    internal static (ulong Start, ulong End)? FindHeapRange(IReadOnlyList<string> maps, ulong low, ulong high) =>
        FindHeapRange(ParseMaps(maps), low, high);

    private static (ulong Start, ulong End)? FindHeapRange(List<Mapping> entries, ulong low, ulong high)
    {
        if (high - low > MaxProbeDistance) { return null; }
        int first = entries.FindIndex(m => m.Start <= low && low < m.End);
        int last = entries.FindIndex(m => m.Start <= high && high < m.End);
        if (first < 0 || last < first) { return null; }
        for (int i = first; i <= last; i++)
        {
            if (!entries[i].Anonymous || (i > first && entries[i].Start != entries[i - 1].End)) { return null; }
        }
        while (last + 1 < entries.Count && entries[last + 1].Anonymous && entries[last + 1].Start == entries[last].End && entries[last + 1].Reserved)
        {
            last++;
        }
        return (entries[first].Start, entries[last].End);
    }

    /// <summary>
    /// <paramref name="range"/> (from <see cref="FindHeapRange(IReadOnlyList{string}, ulong, ulong)"/>) run down to the start of a reservation of
    /// <paramref name="reservedBytes"/> ending where it ends, when anonymous mappings cover the addresses in between
    /// without a gap; otherwise <paramref name="range"/> as it is (also for a reservation size of zero, unknown).
    /// </summary>
    internal static (ulong Start, ulong End) ExtendToReservationStart(IReadOnlyList<string> maps, (ulong Start, ulong End) range, ulong reservedBytes) =>
        ExtendToReservationStart(ParseMaps(maps), range, reservedBytes);

    private static (ulong Start, ulong End) ExtendToReservationStart(List<Mapping> entries, (ulong Start, ulong End) range, ulong reservedBytes)
    {
        if (reservedBytes == 0 || reservedBytes > range.End || range.End - reservedBytes >= range.Start) { return range; }
        ulong low = range.End - reservedBytes;
        int first = entries.FindIndex(m => m.Start <= low && low < m.End);
        if (first < 0) { return range; }
        for (int i = first; i < entries.Count && entries[i].Start < range.Start; i++)
        {
            if (!entries[i].Anonymous || (i > first && entries[i].Start != entries[i - 1].End)) { return range; }
        }
        return (low, range.End);
    }

    // The size of the GC's reservation, as its configuration reports it (0 when it does not).
    private static ulong ReservedBytes()
    {
        try
        {
            return GC.GetConfigurationVariables().TryGetValue("GCRegionRange", out var value) ? Convert.ToUInt64(value, CultureInfo.InvariantCulture) : 0;
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            return 0;
        }
    }

    /// <summary>One line of <c>/proc/self/maps</c>: its addresses, whether it is only reserved (<c>---p</c>), and
    /// whether it is anonymous (no file, no name such as <c>[stack]</c>).</summary>
    private readonly record struct Mapping(ulong Start, ulong End, bool Reserved, bool Anonymous);

    private static List<Mapping> ParseMaps(IReadOnlyList<string> maps)
    {
        var text = Encoding.ASCII.GetBytes(string.Join('\n', maps));
        return ParseMaps(text);
    }

    /// <summary>
    /// The mappings in <paramref name="text"/>, parsed from bytes: this runs at the start of every command, where a
    /// string per line and per field (tens of KiB of fresh heap, each page a fault) cost more than the advice itself.
    /// </summary>
    private static List<Mapping> ParseMaps(ReadOnlySpan<byte> text)
    {
        var entries = new List<Mapping>(64);
        while (!text.IsEmpty)
        {
            int eol = text.IndexOf((byte)'\n');
            var line = eol < 0 ? text : text[..eol];
            text = eol < 0 ? default : text[(eol + 1)..];
            // start-end perms offset dev inode [path]
            var fields = new Fields(line);
            var range = fields.Next();
            var perms = fields.Next();
            _ = fields.Next();
            _ = fields.Next();
            var inode = fields.Next();
            if (inode.IsEmpty) { continue; }
            int dash = range.IndexOf((byte)'-');
            if (dash < 0) { continue; }
            ulong start = ulong.Parse(range[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            ulong end = ulong.Parse(range[(dash + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            bool anonymous = inode.SequenceEqual("0"u8) && fields.Rest().Trim((byte)' ').IsEmpty;
            entries.Add(new Mapping(start, end, perms.SequenceEqual("---p"u8), anonymous));
        }
        return entries;
    }

    /// <summary>Space-separated fields of one line, read left to right.</summary>
    private ref struct Fields(ReadOnlySpan<byte> line)
    {
        private ReadOnlySpan<byte> _rest = line;

        public ReadOnlySpan<byte> Next()
        {
            _rest = _rest.TrimStart((byte)' ');
            int space = _rest.IndexOf((byte)' ');
            var field = space < 0 ? _rest : _rest[..space];
            _rest = space < 0 ? default : _rest[space..];
            return field;
        }

        public readonly ReadOnlySpan<byte> Rest() => _rest;
    }

    /// <summary>
    /// <c>/proc/self/maps</c> as parsed mappings, or null when it cannot be read. Read with libc's own calls into
    /// native memory: File.ReadAllLines brought up .NET's file machinery (SafeFileHandle, FileStream, AppContext
    /// switches) in every command, also in those that open no file, and made a string of every line.
    /// </summary>
    private static unsafe List<Mapping>? ReadMaps()
    {
        int fd = Open("/proc/self/maps\0"u8, OpenReadOnlyCloseOnExec);
        if (fd < 0) { return null; }
        nuint capacity = 16 * 1024, length = 0;
        byte* buffer = (byte*)NativeMemory.Alloc(capacity);
        try
        {
            while (true)
            {
                if (length == capacity)
                {
                    capacity *= 2;
                    buffer = (byte*)NativeMemory.Realloc(buffer, capacity);
                }
                nint read = Read(fd, buffer + length, capacity - length);
                if (read < 0) { return null; }
                if (read == 0) { break; }
                length += (nuint)read;
            }
            return ParseMaps(new ReadOnlySpan<byte>(buffer, checked((int)length)));
        }
        finally
        {
            NativeMemory.Free(buffer);
            _ = Close(fd);
        }
    }

    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    [LibraryImport("libc", EntryPoint = "open")]
    private static partial int Open(ReadOnlySpan<byte> path, int flags);

    [LibraryImport("libc", EntryPoint = "read")]
    private static unsafe partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
