namespace Floe.Kernels.Arithmetic;

/// <summary>
/// Safe remainder (<c>%</c>, the sign of the dividend, as C#): <c>destination[i] = left[i] % right[i]</c>, and bit i of
/// <c>valid</c> cleared where there is no remainder: a zero divisor, and for longs <c>MinValue % -1</c> (which
/// overflows in hardware). Hardware has no vector remainder, so the remainders run as scalars; the zero-divisor mask of
/// doubles is a vector compare.
/// </summary>
public static class SafeRemainder
{
    /// <summary>Long remainders; rows with a zero divisor, or <c>MinValue % -1</c>, turn null (slot left 0).</summary>
    /// <exception cref="ArgumentException">Span lengths differ, or the bitmap holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Remainder(ReadOnlySpan<long> left, ReadOnlySpan<long> right, Span<long> destination, Span<ulong> valid)
    {
        int n = Check(left.Length, right.Length, destination.Length, valid.Length);
        for (int i = 0; i < n; i++)
        {
            long x = left[i], y = right[i];
            // (y + 1) <= 1 unsigned is y == 0 or y == -1: one test on the common path.
            if (unchecked((ulong)(y + 1)) <= 1 && (y == 0 || x == long.MinValue))
            {
                valid[i >> 6] &= ~(1UL << (i & 63));
                destination[i] = 0;
            }
            else
            {
                destination[i] = x % y;
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
