using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Floe.Features.Engine;

/// <summary>
/// Unsigned values of a fixed width (0 to 32 bits) stored back to back in 64-bit words, lowest bits first, with a
/// spare word at the end so that every value can be read with one 8-byte load: the storage of
/// filed events (<see cref="PackedLongs"/>, <see cref="PackedIds"/>).
/// </summary>
internal static class BitPacking
{
    /// <summary>Bits the values up to <paramref name="largest"/> need.</summary>
    public static int Width(ulong largest) => 64 - BitOperations.LeadingZeroCount(largest);

    /// <summary>
    /// Words for <paramref name="count"/> values of <paramref name="width"/> bits, and the spare one; not zeroed: the
    /// <see cref="Writer"/> stores whole words, and the bits read past the last value are masked off.
    /// <paramref name="pinned"/>: on the pinned object heap when under the large-object size (see
    /// <see cref="PackedLongs.Pack(long[], int, int, bool, bool)"/>).
    /// </summary>
    public static ulong[] Words(int count, int width, bool pinned = false)
    {
        int length = (int)Math.Max(2, ((((long)count * width) + 63) >> 6) + 1);
        return GC.AllocateUninitializedArray<ulong>(length, pinned && Pinned(length * 8L));
    }

    /// <summary>
    /// Whether filed arrays of <paramref name="bytes"/> that may be pinned go on the pinned object heap: those that
    /// would be small objects (<see cref="LargeObjectBytes"/>). A large one stays on the large-object heap, which is
    /// not compacted either but whose free space the chunks' large arrays reuse; on the pinned heap the space a
    /// computed day frees serves only other pinned arrays (10M events over 7 days from a file, whose days' words are
    /// all large: all pinned, peak RSS 445 -> 462 MiB and 8 more full collections, the pinned heap's allocation budget
    /// being its own).
    /// </summary>
    public static bool Pinned(long bytes) => bytes < LargeObjectBytes;

    /// <summary>The runtime's default large-object size: an array of about this many bytes or more is a large object.</summary>
    public const int LargeObjectBytes = 85_000;

    /// <summary>The mask of a value of <paramref name="width"/> bits.</summary>
    public static ulong Mask(int width) => width == 0 ? 0 : ulong.MaxValue >> (64 - width);

    /// <summary>The first byte of <paramref name="words"/>, for <see cref="Read"/>.</summary>
    public static ref byte Bytes(ulong[] words) => ref Unsafe.As<ulong, byte>(ref MemoryMarshal.GetArrayDataReference(words));

    /// <summary>
    /// The value at <paramref name="bit"/> of words written by <see cref="Writer"/> (<paramref name="bytes"/> their
    /// first byte): one unaligned 8-byte load at the value's first byte, shifted by at most 7 bits, holds a value of up
    /// to 32 bits, and the spare last word keeps the load inside the array. Callers keep the bit position in a local
    /// and read no more values than were written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(ref byte bytes, long bit, ulong mask) =>
        (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, (nint)(bit >> 3))) >> (int)(bit & 7)) & mask;

    /// <summary>
    /// Appends values of a fixed width to words (<see cref="Words"/>), a word at a time; at width 32, each value
    /// is stored as the next 32-bit half-word (the same layout, without the shifts).
    /// </summary>
    public ref struct Writer
    {
        private readonly Span<uint> _halves;
        private readonly ulong[] _words;
        private readonly int _width;
        private ulong _pending;
        private int _filled;
        private int _at;

        public Writer(ulong[] words, int width)
        {
            _words = words;
            _width = width;
            _halves = width == 32 ? Halves(words) : default;
        }

        /// <summary>Appends <paramref name="value"/>, which must fit the width.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(ulong value)
        {
            if (_width == 32)
            {
                _halves[_at++] = (uint)value;
                return;
            }
            _pending |= value << _filled;
            _filled += _width;
            if (_filled >= 64)
            {
                _words[_at++] = _pending;
                _filled -= 64;
                // The value's bits that did not fit (none when it ended the word exactly: a shift by 64 is not 0 in C#).
                _pending = _filled == 0 ? 0 : value >> (_width - _filled);
            }
        }

        /// <summary>Stores the last, partly filled word.</summary>
        public readonly void Flush()
        {
            if (_width != 32 && _filled > 0) { _words[_at] = _pending; }
        }
    }

    /// <summary>Words of width-32 values as their 32-bit halves, value i at half i (the <see cref="Writer"/>'s layout).</summary>
    public static Span<uint> Halves(ulong[] words) => MemoryMarshal.Cast<ulong, uint>(words.AsSpan());
}
