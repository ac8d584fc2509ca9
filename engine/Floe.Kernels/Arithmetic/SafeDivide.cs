namespace Floe.Kernels.Arithmetic;

/// <summary>
/// Safe division: <c>destination[i] = left[i] / right[i]</c>, and <c>valid[i] = false</c> where <c>right[i] == 0</c>
/// (so x / 0 is null rather than ±∞ or NaN). Other IEEE results (NaN operands, ∞ / ∞) pass through.
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
        System.Numerics.Tensors.TensorPrimitives.Divide(left, right, destination[..left.Length]);
        for (int i = 0; i < right.Length; i++)
        {
            if (right[i] == 0.0)
            {
                valid[i] = false;
                destination[i] = 0.0;
            }
        }
    }

    /// <summary>Divides element-wise and clears bit i of the <paramref name="valid"/> bitmap where the divisor is zero.</summary>
    /// <exception cref="ArgumentException">Span lengths differ, or the bitmap holds fewer than <c>ceil(n / 64)</c> words.</exception>
    public static void Divide(ReadOnlySpan<double> left, ReadOnlySpan<double> right, Span<double> destination, Span<ulong> valid)
    {
        if (left.Length != right.Length || destination.Length < left.Length || valid.Length < ((left.Length + 63) >> 6))
        {
            throw new ArgumentException("span lengths differ");
        }
        System.Numerics.Tensors.TensorPrimitives.Divide(left, right, destination[..left.Length]);
        for (int i = 0; i < right.Length; i++)
        {
            if (right[i] == 0.0)
            {
                valid[i >> 6] &= ~(1UL << (i & 63));
                destination[i] = 0.0;
            }
        }
    }
}
