using System.Numerics;

namespace Floe.Parquet.Writing;

/// <summary>LSB-first bitmap helpers (the bit order of Arrow validity bitmaps and Parquet bit packing).</summary>
internal static class Bits
{
    public static bool Get(ReadOnlySpan<byte> bitmap, int index) => (bitmap[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Sets bits [start, start+count) to one.</summary>
    public static void SetOnes(Span<byte> bitmap, int start, int count)
    {
        var i = start;
        var end = start + count;
        while (i < end && (i & 7) != 0)
        {
            bitmap[i >> 3] |= (byte)(1 << (i & 7));
            i++;
        }
        var fullBytes = (end - i) >> 3;
        if (fullBytes > 0)
        {
            bitmap.Slice(i >> 3, fullBytes).Fill(0xFF);
            i += fullBytes << 3;
        }
        while (i < end)
        {
            bitmap[i >> 3] |= (byte)(1 << (i & 7));
            i++;
        }
    }

    /// <summary>Copies <paramref name="count"/> bits; destination bits outside the range keep their values except that a fresh (zeroed) destination stays zero-padded.</summary>
    public static void Copy(ReadOnlySpan<byte> source, int sourceBit, Span<byte> destination, int destinationBit, int count)
    {
        if ((sourceBit & 7) == 0 && (destinationBit & 7) == 0)
        {
            var bytes = count >> 3;
            source.Slice(sourceBit >> 3, bytes).CopyTo(destination.Slice(destinationBit >> 3));
            for (var i = bytes << 3; i < count; i++)
            {
                SetBit(destination, destinationBit + i, Get(source, sourceBit + i));
            }
            return;
        }
        for (var i = 0; i < count; i++)
        {
            SetBit(destination, destinationBit + i, Get(source, sourceBit + i));
        }
    }

    /// <summary>Number of one bits in [start, start+count).</summary>
    public static int PopCount(ReadOnlySpan<byte> bitmap, int start, int count)
    {
        var total = 0;
        var i = start;
        var end = start + count;
        while (i < end && (i & 7) != 0)
        {
            if (Get(bitmap, i)) total++;
            i++;
        }
        var words = (end - i) >> 6;
        var wordSpan = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bitmap.Slice(i >> 3, words * 8));
        foreach (var w in wordSpan)
        {
            total += BitOperations.PopCount(w);
        }
        i += words << 6;
        while (i < end)
        {
            if (Get(bitmap, i)) total++;
            i++;
        }
        return total;
    }

    private static void SetBit(Span<byte> bitmap, int index, bool value)
    {
        if (value)
        {
            bitmap[index >> 3] |= (byte)(1 << (index & 7));
        }
        else
        {
            bitmap[index >> 3] &= (byte)~(1 << (index & 7));
        }
    }
}
