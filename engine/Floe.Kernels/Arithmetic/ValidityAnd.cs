using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Floe.Kernels.Arithmetic;

/// <summary>
/// Combines validity: <c>destination[i] = left[i] &amp; right[i]</c>, over boolean masks (one byte per row) or bitmaps
/// (one bit per row), vectorised at the widest width the hardware runs (TensorPrimitives' 512/256/128-bit drivers).
/// </summary>
public static class ValidityAnd
{
    /// <summary>Computes the element-wise AND of two boolean masks.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or the destination is too short.</exception>
    public static void And(ReadOnlySpan<bool> left, ReadOnlySpan<bool> right, Span<bool> destination)
    {
        if (left.Length != right.Length || destination.Length < left.Length)
        {
            throw new ArgumentException("mask lengths differ");
        }
        // bool is one byte holding 0 or 1, so a bytewise AND of two masks is a mask.
        TensorPrimitives.BitwiseAnd(MemoryMarshal.AsBytes(left), MemoryMarshal.AsBytes(right), MemoryMarshal.AsBytes(destination[..left.Length]));
    }

    /// <summary>Computes the AND of two bitmaps, word by word.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or the destination is too short.</exception>
    public static void And(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right, Span<ulong> destination)
    {
        if (left.Length != right.Length || destination.Length < left.Length)
        {
            throw new ArgumentException("bitmap lengths differ");
        }
        TensorPrimitives.BitwiseAnd(left, right, destination[..left.Length]);
    }
}
