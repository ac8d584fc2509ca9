namespace Floe.Kernels.Bitmaps;

/// <summary>
/// SQL's three-valued <c>and</c>/<c>or</c> over boolean columns held as two bitmaps each: values and validity
/// (Kleene logic: <c>false and null = false</c>, <c>true or null = true</c>, otherwise null dominates). Word-wise,
/// 64 rows per step; value bits under a clear validity bit are ignored, and result value bits under a clear result
/// validity bit are zero.
/// </summary>
public static class Kleene
{
    /// <summary>
    /// Per bit: the result is known when both sides are known or either is known false; it is true when both are
    /// known true. <paramref name="leftValid"/> or <paramref name="rightValid"/> may be empty, meaning all valid.
    /// </summary>
    /// <exception cref="ArgumentException">A span (other than an empty validity) holds fewer than <c>ceil(length / 64)</c> words.</exception>
    public static void And(ReadOnlySpan<ulong> leftValues, ReadOnlySpan<ulong> leftValid, ReadOnlySpan<ulong> rightValues, ReadOnlySpan<ulong> rightValid, Span<ulong> values, Span<ulong> valid, int length) =>
        Run(false, length, leftValues, leftValid, rightValues, rightValid, values, valid);

    /// <summary>
    /// Per bit: the result is known when both sides are known or either is known true; it is true when either is
    /// known true. <paramref name="leftValid"/> or <paramref name="rightValid"/> may be empty, meaning all valid.
    /// </summary>
    /// <exception cref="ArgumentException">A span (other than an empty validity) holds fewer than <c>ceil(length / 64)</c> words.</exception>
    public static void Or(ReadOnlySpan<ulong> leftValues, ReadOnlySpan<ulong> leftValid, ReadOnlySpan<ulong> rightValues, ReadOnlySpan<ulong> rightValid, Span<ulong> values, Span<ulong> valid, int length) =>
        Run(true, length, leftValues, leftValid, rightValues, rightValid, values, valid);

    private static void Run(bool isOr, int length, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> va, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> vb, Span<ulong> values, Span<ulong> valid)
    {
        int n = Bitmap.WordCount(length);
        if (a.Length < n || b.Length < n || values.Length < n || valid.Length < n || (!va.IsEmpty && va.Length < n) || (!vb.IsEmpty && vb.Length < n))
        {
            throw new ArgumentException("bitmaps differ in length", nameof(b));
        }
        bool allA = va.IsEmpty, allB = vb.IsEmpty;
        for (int w = 0; w < n; w++)
        {
            ulong ka = allA ? ulong.MaxValue : va[w];
            ulong kb = allB ? ulong.MaxValue : vb[w];
            ulong x = a[w] & ka, y = b[w] & kb;
            if (isOr)
            {
                // Known true on either side decides; otherwise both must be known.
                ulong t = x | y;
                valid[w] = (ka & kb) | t;
                values[w] = t;
            }
            else
            {
                ulong f = (ka & ~x) | (kb & ~y);
                valid[w] = (ka & kb) | f;
                values[w] = x & y;
            }
        }
        Bitmap.ClearTail(valid, length);
        Bitmap.ClearTail(values, length);
    }
}
