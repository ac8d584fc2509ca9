using System.Buffers;
using System.Numerics;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Kernels.Arithmetic;

/// <summary>
/// Safe division: <c>destination[i] = left[i] / right[i]</c>, and <c>valid[i] = false</c> where <c>right[i] == 0</c>
/// (so x / 0 is null rather than ±∞ or NaN, with 0 in its slot). Other IEEE results (NaN operands, ∞ / ∞) pass through.
/// </summary>
public static class SafeDivide
{
    /// <summary>Divides element-wise and clears <paramref name="valid"/> where the divisor is zero.</summary>
    /// <exception cref="ArgumentException">Span lengths differ.</exception>
    public static void Divide(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> destination, Span<bool> valid)
    {
        if (left.Length != right.Length || destination.Length < left.Length || valid.Length < left.Length)
        {
            throw new ArgumentException("span lengths differ");
        }
        BinaryDriver.Invoke<double, DivideOperator>(left, right, destination);
        for (int i = 0; i < right.Length; i++)
        {
            if (right[i] == 0.0)
            {
                valid[i] = false;
                destination[i] = 0.0;
            }
        }
    }

    /// <summary>
    /// Divides element-wise and clears bit i of the <paramref name="valid"/> bitmap where the divisor is zero: the
    /// quotients and the zero-divisor mask both run as vector kernels; only the (usually few) zero rows are visited.
    /// </summary>
    /// <exception cref="ArgumentException">Span lengths differ, or the bitmap holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Divide(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> destination, Span<ulong> valid)
    {
        int n = left.Length;
        if (n != right.Length || destination.Length < n || valid.Length < ((n + 63) >> 6))
        {
            throw new ArgumentException("span lengths differ");
        }
        BinaryDriver.Invoke<double, DivideOperator>(left, right, destination);
        ClearWhereZero(right, destination, valid);
    }

    // Rows whose divisor is zero (either sign) turn null with 0 in their slot: one compare kernel over the whole
    // column gives the mask, then only words holding a zero are visited.
    internal static void ClearWhereZero<T>(ReadOnlySpan<double> right, Span<T> destination, Span<ulong> valid)
        where T : unmanaged, INumberBase<T>
    {
        int words = (right.Length + 63) >> 6;
        var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(words, 1));
        try
        {
            var zero = rented.AsSpan(0, words);
            ComparisonDriver.ToBitmap<double, EqualOperator<double>>(right, 0.0, zero);
            for (int w = 0; w < words; w++)
            {
                ulong z = zero[w];
                if (z == 0) { continue; }
                valid[w] &= ~z;
                while (z != 0)
                {
                    destination[(w << 6) + BitOperations.TrailingZeroCount(z)] = T.Zero;
                    z &= z - 1;
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }
}
