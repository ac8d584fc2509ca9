using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Floe.Kernels.Selection;

/// <summary>
/// Merges two columns by a bitmap: <c>destination[i] = bit(mask, i) ? ifSet[i] : ifClear[i]</c>, the kernel under
/// <c>case</c>, <c>if</c> and <c>coalesce</c>. A word of 64 rows that is all set or all clear is one block copy; a mixed
/// word runs a branch-free scalar select.
/// </summary>
public static class BitmapSelect
{
    /// <summary>Selects row by row between <paramref name="ifSet"/> and <paramref name="ifClear"/>. The destination may be either input.</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, the destination is shorter, or the mask holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Select<T>(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> ifSet, ReadOnlySpan<T> ifClear, Span<T> destination)
        where T : unmanaged
    {
        int n = ifSet.Length;
        if (ifClear.Length != n || destination.Length < n || mask.Length < ((n + 63) >> 6)) { throw new ArgumentException("span lengths differ"); }
        ref T a = ref MemoryMarshal.GetReference(ifSet);
        ref T b = ref MemoryMarshal.GetReference(ifClear);
        ref T d = ref MemoryMarshal.GetReference(destination);
        for (int w = 0; w < ((n + 63) >> 6); w++)
        {
            int start = w << 6;
            int count = Math.Min(64, n - start);
            ulong m = mask[w];
            ulong all = count == 64 ? ulong.MaxValue : (1UL << count) - 1;
            if ((m & all) == all) { ifSet.Slice(start, count).CopyTo(destination[start..]); continue; }
            if ((m & all) == 0) { ifClear.Slice(start, count).CopyTo(destination[start..]); continue; }
            for (int k = 0; k < count; k++)
            {
                int i = start + k;
                Unsafe.Add(ref d, i) = ((m >> k) & 1) != 0 ? Unsafe.Add(ref a, i) : Unsafe.Add(ref b, i);
            }
        }
    }

    /// <summary>The same select over bitmaps (booleans, validity): <c>destination = (mask &amp; ifSet) | (~mask &amp; ifClear)</c>, a word at a time.</summary>
    /// <exception cref="ArgumentException">A span holds fewer than <c>ceil(length / 64)</c> words.</exception>
    public static void SelectBits(ReadOnlySpan<ulong> mask, ReadOnlySpan<ulong> ifSet, ReadOnlySpan<ulong> ifClear, Span<ulong> destination, int length)
    {
        int words = (length + 63) >> 6;
        if (mask.Length < words || ifSet.Length < words || ifClear.Length < words || destination.Length < words) { throw new ArgumentException("bitmap shorter than its length", nameof(length)); }
        for (int w = 0; w < words; w++) { destination[w] = (mask[w] & ifSet[w]) | (~mask[w] & ifClear[w]); }
        if ((length & 63) != 0) { destination[words - 1] &= (1UL << (length & 63)) - 1; }
    }
}
