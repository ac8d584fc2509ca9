using System.Runtime.Intrinsics;

namespace Floe.Kernels.Operators;

/// <summary>
/// A comparison <c>x op y</c>: a scalar form and per-width vector forms returning lane masks (all bits set where the
/// comparison holds). IEEE semantics for floating point: NaN compares false, except for "not equal".
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IComparisonOperator<T>
    where T : unmanaged
{
    /// <summary>Whether <c>x op y</c> holds.</summary>
    static abstract bool Invoke(T x, T y);

    /// <summary>The lane mask of <c>x op y</c> on 128-bit vectors.</summary>
    static abstract Vector128<T> Invoke(Vector128<T> x, Vector128<T> y);

    /// <summary>The lane mask of <c>x op y</c> on 256-bit vectors.</summary>
    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);

    /// <summary>The lane mask of <c>x op y</c> on 512-bit vectors.</summary>
    static abstract Vector512<T> Invoke(Vector512<T> x, Vector512<T> y);
}
