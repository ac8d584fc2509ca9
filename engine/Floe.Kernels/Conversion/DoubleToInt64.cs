using System.Buffers;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Kernels.Conversion;

/// <summary>
/// Casts doubles to longs: truncation toward zero (<see cref="TruncateToInt64Operator"/>), and bit i of the validity
/// cleared where the double has no long (NaN, ±∞, out of range), so such rows turn null rather than wrap or throw.
/// </summary>
public static class DoubleToInt64
{
    /// <summary>Converts <paramref name="source"/> into <paramref name="destination"/> and clears <paramref name="valid"/> where a value has no long.</summary>
    /// <exception cref="ArgumentException">The destination is shorter, or the bitmap holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Convert(ReadOnlySpan<double> source, Span<long> destination, Span<ulong> valid)
    {
        int n = source.Length;
        int words = (n + 63) >> 6;
        if (destination.Length < n || valid.Length < words) { throw new ArgumentException("span lengths differ"); }
        UnaryDriver.Invoke<double, long, TruncateToInt64Operator>(source, destination);
        // Truncation keeps a value inside [-2^63, 2^63) exactly when the value itself is inside, so the range test
        // runs on the doubles, as two compare kernels over the whole column; NaN fails both.
        var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(2 * words, 1));
        try
        {
            var above = rented.AsSpan(0, words);
            var below = rented.AsSpan(words, words);
            ComparisonDriver.ToBitmap<double, GreaterThanOrEqualOperator<double>>(source, TruncateToInt64Operator.Min, above);
            ComparisonDriver.ToBitmap<double, LessThanOperator<double>>(source, TruncateToInt64Operator.Limit, below);
            Bitmaps.Bitmap.And(above, below, above);
            Bitmaps.Bitmap.And(valid[..words], above, valid[..words]);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }
}
