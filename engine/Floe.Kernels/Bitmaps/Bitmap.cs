using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Kernels.Drivers;

namespace Floe.Kernels.Bitmaps;

/// <summary>
/// Bitmaps in Arrow's layout, one bit per row, LSB first, held as 64-bit words (on a little-endian machine the words
/// are Arrow's validity bytes read eight at a time, so a buffer at a whole-byte offset can be reinterpreted, not copied).
/// Bits past the row count in the last word are kept clear by every operation here, so whole-word operations and
/// counts never see them.
/// </summary>
public static class Bitmap
{
    /// <summary>The number of 64-bit words that hold <paramref name="length"/> bits: <c>ceil(length / 64)</c>.</summary>
    public static int WordCount(int length) => (length + 63) >> 6;

    /// <summary>Bit <paramref name="index"/> of <paramref name="words"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Get(ReadOnlySpan<ulong> words, int index) => ((words[index >> 6] >> (index & 63)) & 1UL) != 0;

    /// <summary>Sets bit <paramref name="index"/> of <paramref name="words"/> to <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set(Span<ulong> words, int index, bool value)
    {
        ulong mask = 1UL << (index & 63);
        if (value) { words[index >> 6] |= mask; } else { words[index >> 6] &= ~mask; }
    }

    /// <summary>A bitmap of <paramref name="length"/> bits, all set (bits past the length clear).</summary>
    public static ulong[] AllSet(int length)
    {
        var words = new ulong[WordCount(length)];
        words.AsSpan().Fill(ulong.MaxValue);
        ClearTail(words, length);
        return words;
    }

    /// <summary>Clears the bits at and past <paramref name="length"/> in the last word that holds bits.</summary>
    public static void ClearTail(Span<ulong> words, int length)
    {
        int full = length >> 6;
        if ((length & 63) != 0 && full < words.Length) { words[full] &= (1UL << (length & 63)) - 1; }
    }

    /// <summary><c>destination[w] = left[w] &amp; right[w]</c> over whole words (destination may be an input).</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or the destination is shorter.</exception>
    public static void And(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination) =>
        BinaryDriver.Invoke<ulong, BitwiseAndOperator>(left, right, destination);

    /// <summary><c>destination[w] = left[w] | right[w]</c> over whole words (destination may be an input).</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or the destination is shorter.</exception>
    public static void Or(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination) =>
        BinaryDriver.Invoke<ulong, BitwiseOrOperator>(left, right, destination);

    /// <summary><c>destination[w] = left[w] &amp; ~right[w]</c> over whole words (destination may be an input).</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or the destination is shorter.</exception>
    public static void AndNot(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination) =>
        BinaryDriver.Invoke<ulong, BitwiseAndNotOperator>(left, right, destination);

    /// <summary>
    /// <c>destination = ~source</c> for <paramref name="length"/> bits, bits past the length cleared.
    /// </summary>
    /// <exception cref="ArgumentException">A span holds fewer than <c>ceil(length / 64)</c> words.</exception>
    public static void Not(ReadOnlySpan<ulong> source, Span<ulong> destination, int length)
    {
        int words = WordCount(length);
        if (source.Length < words || destination.Length < words) { throw new ArgumentException("bitmap shorter than its length", nameof(length)); }
        for (int w = 0; w < words; w++) { destination[w] = ~source[w]; }
        ClearTail(destination, length);
    }

    /// <summary>The number of set bits among the first <paramref name="length"/> bits.</summary>
    /// <exception cref="ArgumentException">The bitmap holds fewer than <c>ceil(length / 64)</c> words.</exception>
    public static int PopCount(ReadOnlySpan<ulong> words, int length)
    {
        int full = length >> 6;
        if (words.Length < WordCount(length)) { throw new ArgumentException("bitmap shorter than its length", nameof(length)); }
        long count = 0;
        for (int w = 0; w < full; w++) { count += BitOperations.PopCount(words[w]); }
        if ((length & 63) != 0) { count += BitOperations.PopCount(words[full] & ((1UL << (length & 63)) - 1)); }
        return (int)count;
    }

    /// <summary>
    /// Packs byte flags (0 = clear, anything else = set; <c>bool</c> spans qualify) into bits: bit i of
    /// <paramref name="destination"/> is <c>flags[i] != 0</c>, bits past <c>flags.Length</c> in the last word cleared.
    /// Vectorised by lane masks: 64, 32 or 16 flags per compare.
    /// </summary>
    /// <exception cref="ArgumentException">The destination holds fewer than <c>ceil(flags.Length / 64)</c> words.</exception>
    public static void FromFlags(ReadOnlySpan<byte> flags, Span<ulong> destination)
    {
        int n = flags.Length;
        if (destination.Length < WordCount(n)) { throw new ArgumentException("destination shorter than the flags", nameof(destination)); }
        ref byte f = ref MemoryMarshal.GetReference(flags);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 64 <= n; i += 64)
            {
                destination[i >> 6] = ~Vector512.Equals(Vector512.LoadUnsafe(ref f, (nuint)i), Vector512<byte>.Zero).ExtractMostSignificantBits();
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 64 <= n; i += 64)
            {
                ulong lo = ~Vector256.Equals(Vector256.LoadUnsafe(ref f, (nuint)i), Vector256<byte>.Zero).ExtractMostSignificantBits();
                ulong hi = ~Vector256.Equals(Vector256.LoadUnsafe(ref f, (nuint)(i + 32)), Vector256<byte>.Zero).ExtractMostSignificantBits();
                destination[i >> 6] = (lo & 0xFFFF_FFFFUL) | (hi << 32);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 64 <= n; i += 64)
            {
                ulong word = 0;
                for (int q = 0; q < 4; q++)
                {
                    ulong part = ~Vector128.Equals(Vector128.LoadUnsafe(ref f, (nuint)(i + (q * 16))), Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFFUL;
                    word |= part << (q * 16);
                }
                destination[i >> 6] = word;
            }
        }
        // The words no vector path took (all of them without acceleration), the last one partial.
        for (; i < n; i += 64)
        {
            ulong word = 0;
            int end = Math.Min(i + 64, n);
            for (int k = i; k < end; k++) { word |= (Unsafe.Add(ref f, k) != 0 ? 1UL : 0UL) << (k & 63); }
            destination[i >> 6] = word;
        }
    }

    /// <summary>Packs 0/1 <c>long</c> flags (the comparison drivers' flag form) into bits: bit i is <c>flags[i] != 0</c>.</summary>
    /// <exception cref="ArgumentException">The destination holds fewer than <c>ceil(flags.Length / 64)</c> words.</exception>
    public static void FromFlags(ReadOnlySpan<long> flags, Span<ulong> destination)
    {
        int n = flags.Length;
        if (destination.Length < WordCount(n)) { throw new ArgumentException("destination shorter than the flags", nameof(destination)); }
        for (int w = 0; w < WordCount(n); w++)
        {
            ulong word = 0;
            int end = Math.Min(64, n - (w << 6));
            var part = flags.Slice(w << 6, end);
            for (int k = 0; k < part.Length; k++) { word |= (part[k] != 0 ? 1UL : 0UL) << k; }
            destination[w] = word;
        }
    }

    /// <summary>Packs <c>bool</c> flags into bits (see <see cref="FromFlags(ReadOnlySpan{byte}, Span{ulong})"/>).</summary>
    /// <exception cref="ArgumentException">The destination holds fewer than <c>ceil(flags.Length / 64)</c> words.</exception>
    public static void FromFlags(ReadOnlySpan<bool> flags, Span<ulong> destination) => FromFlags(MemoryMarshal.AsBytes(flags), destination);

    /// <summary>
    /// Unpacks bits into byte flags: <c>flags[i] = bit i ? 1 : 0</c> for every i below <c>flags.Length</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The bitmap holds fewer than <c>ceil(flags.Length / 64)</c> words.</exception>
    public static void ToFlags(ReadOnlySpan<ulong> words, Span<byte> flags)
    {
        int n = flags.Length;
        if (words.Length < WordCount(n)) { throw new ArgumentException("bitmap shorter than the flags", nameof(words)); }
        ref byte f = ref MemoryMarshal.GetReference(flags);
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            // Eight flags at once: a table spreads the byte's bits one per byte lane.
            int b = (int)((words[i >> 6] >> (i & 63)) & 0xFF);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref f, i), Spread[b]);
        }
        for (; i < n; i++) { Unsafe.Add(ref f, i) = (byte)((words[i >> 6] >> (i & 63)) & 1UL); }
    }

    /// <summary>Unpacks bits into <c>bool</c> flags (see <see cref="ToFlags(ReadOnlySpan{ulong}, Span{byte})"/>).</summary>
    /// <exception cref="ArgumentException">The bitmap holds fewer than <c>ceil(flags.Length / 64)</c> words.</exception>
    public static void ToFlags(ReadOnlySpan<ulong> words, Span<bool> flags) => ToFlags(words, MemoryMarshal.AsBytes(flags));

    // Spread[b]: byte lane j (in memory order) holds bit j of b.
    private static readonly ulong[] Spread = BuildSpread();

    private static ulong[] BuildSpread()
    {
        var table = new ulong[256];
        Span<byte> lanes = stackalloc byte[8];
        for (int b = 0; b < 256; b++)
        {
            for (int j = 0; j < 8; j++) { lanes[j] = (byte)((b >> j) & 1); }
            table[b] = MemoryMarshal.Read<ulong>(lanes);
        }
        return table;
    }
}
