using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Kernels.Arithmetic;

/// <summary>
/// Safe remainder (<c>%</c>, the sign of the dividend, as C#): <c>destination[i] = left[i] % right[i]</c>, and bit i of
/// <c>valid</c> cleared where there is no remainder: a zero divisor, and for longs <c>MinValue % -1</c> (which
/// overflows in hardware). Hardware has no vector remainder, so the mask of rows to skip is built with vector
/// compares a 64-row word at a time and the remainders run as scalars over the rest.
/// </summary>
public static class SafeRemainder
{
    /// <summary>Long remainders; rows with a zero divisor, or <c>MinValue % -1</c>, turn null (slot left 0).</summary>
    /// <exception cref="ArgumentException">Span lengths differ, or the bitmap holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Remainder(ReadOnlySpan<long> left, ReadOnlySpan<long> right, Span<long> destination, Span<ulong> valid)
    {
        int n = Check(left.Length, right.Length, destination.Length, valid.Length);
        Span<ulong> skip = stackalloc ulong[1];
        Span<ulong> minusOne = stackalloc ulong[1];
        Span<ulong> min = stackalloc ulong[1];
        for (int w = 0; w < ((n + 63) >> 6); w++)
        {
            int start = w << 6;
            int count = Math.Min(64, n - start);
            var x = left.Slice(start, count);
            var y = right.Slice(start, count);
            ComparisonDriver.ToBitmap<long, EqualOperator<long>>(y, 0L, skip);
            ComparisonDriver.ToBitmap<long, EqualOperator<long>>(y, -1L, minusOne);
            ComparisonDriver.ToBitmap<long, EqualOperator<long>>(x, long.MinValue, min);
            ulong s = skip[0] | (minusOne[0] & min[0]);
            valid[w] &= ~s;
            for (int k = 0; k < count; k++)
            {
                destination[start + k] = ((s >> k) & 1) != 0 ? 0 : x[k] % y[k];
            }
        }
    }

    /// <summary>Double remainders (IEEE fmod, as C#'s <c>%</c>); rows with a zero divisor turn null (slot 0).</summary>
    /// <exception cref="ArgumentException">Span lengths differ, or the bitmap holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Remainder(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> destination, Span<ulong> valid)
    {
        int n = Check(left.Length, right.Length, destination.Length, valid.Length);
        for (int i = 0; i < n; i++) { destination[i] = left[i] % right[i]; }
        SafeDivide.ClearWhereZero(right, destination, valid);
    }

    private static int Check(int left, int right, int destination, int validWords)
    {
        if (left != right || destination < left || validWords < ((left + 63) >> 6))
        {
            throw new ArgumentException("span lengths differ");
        }
        return left;
    }
}
