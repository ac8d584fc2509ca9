using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>Arrow validity buffers as 64-bit bitmap words (Arrow's layout read eight bytes at a time), at any offset.</summary>
public static class ArrowBitmaps
{
    /// <summary>
    /// Clears in <paramref name="bits"/> every row of <paramref name="array"/> that is null (a comparison with null is
    /// never true). Whole-byte offsets run bytewise over Arrow's buffer; other offsets shift bit by bit.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bits"/> holds fewer than <c>ceil(array.Length / 64)</c> words.</exception>
    public static void AndValidity(IArrowArray array, Span<ulong> bits)
    {
        int n = array.Length;
        if (bits.Length < Bitmap.WordCount(n)) { throw new ArgumentException("bitmap shorter than the array", nameof(bits)); }
        if (array.NullCount == 0 || n == 0) { return; }
        var validity = array.Data.Buffers[0].Span;
        int offset = array.Offset;
        if ((offset & 7) == 0 && BitConverter.IsLittleEndian)
        {
            var bytes = MemoryMarshal.AsBytes(bits);
            var source = validity.Slice(offset >> 3, (n + 7) >> 3);
            for (int b = 0; b < source.Length; b++) { bytes[b] &= source[b]; }
            return;
        }
        for (int i = 0; i < n; i++)
        {
            int k = offset + i;
            if (((validity[k >> 3] >> (k & 7)) & 1) == 0) { bits[i >> 6] &= ~(1UL << (i & 63)); }
        }
    }

    /// <summary>The validity of <paramref name="array"/> as a new bitmap, or null when it has no nulls.</summary>
    public static ulong[]? Validity(IArrowArray array) =>
        array.NullCount == 0 ? null : Read(array.Data.Buffers[0].Span, array.Offset, array.Length);

    /// <summary>
    /// Bits [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of an Arrow bitmap as
    /// new words, bits past the length clear: one block copy when the offset is whole bytes (Arrow's bytes are the
    /// words' little-endian bytes), a shifting copy otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bitmap holds fewer than <c>offset + length</c> bits.</exception>
    public static ulong[] Read(ReadOnlySpan<byte> bitmap, int offset, int length)
    {
        var words = new ulong[Bitmap.WordCount(length)];
        if (length == 0) { return words; }
        if ((offset & 7) == 0 && BitConverter.IsLittleEndian)
        {
            bitmap.Slice(offset >> 3, (length + 7) >> 3).CopyTo(MemoryMarshal.AsBytes(words.AsSpan()));
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                int k = offset + i;
                words[i >> 6] |= (ulong)((bitmap[k >> 3] >> (k & 7)) & 1) << (i & 63);
            }
        }
        Bitmap.ClearTail(words, length);
        return words;
    }
}
