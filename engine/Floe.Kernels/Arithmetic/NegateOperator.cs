using System.Numerics;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Arithmetic;

/// <summary><c>-x</c>; integers wrap (<c>-MinValue</c> is <c>MinValue</c>), floating point flips the sign bit (NaN included).</summary>
/// <typeparam name="T">A primitive signed numeric type the vector types support.</typeparam>
public readonly struct NegateOperator<T> : IUnaryOperator<T, T>
    where T : unmanaged, INumberBase<T>
{
    /// <inheritdoc />
    public static T Invoke(T x) => unchecked(-x);

    /// <inheritdoc />
    public static Vector128<T> Invoke(Vector128<T> x) => -x;

    /// <inheritdoc />
    public static Vector256<T> Invoke(Vector256<T> x) => -x;

    /// <inheritdoc />
    public static Vector512<T> Invoke(Vector512<T> x) => -x;
}
