using System.Numerics;
using System.Runtime.InteropServices;

namespace Floe.Kernels.Arithmetic;

/// <summary>Combines validity masks: <c>destination[i] = left[i] &amp; right[i]</c>, vectorised over bytes.</summary>
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
        var l = MemoryMarshal.AsBytes(left);
        var r = MemoryMarshal.AsBytes(right);
        var d = MemoryMarshal.AsBytes(destination);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= l.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(l[i..]) & new Vector<byte>(r[i..])).CopyTo(d[i..]);
            }
        }
        for (; i < l.Length; i++)
        {
            d[i] = (byte)(l[i] & r[i]);
        }
    }
}
