using System.Runtime.Intrinsics;

namespace Floe.Kernels.Operators;

/// <summary>
/// An element-wise operation <c>f(x, y)</c> in the System.Numerics.Tensors manner: a scalar form (the reference, and
/// the tail of short inputs) and one form per vector width, so a driver picks the widest the hardware runs.
/// Every form must give the same result for the same lanes.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IBinaryOperator<T>
    where T : unmanaged
{
    /// <summary>The operation on one pair of values.</summary>
    static abstract T Invoke(T x, T y);

    /// <summary>The operation on 128-bit vectors.</summary>
    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    /// <summary>The operation on 256-bit vectors.</summary>
    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    /// <summary>The operation on 512-bit vectors.</summary>
    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}
