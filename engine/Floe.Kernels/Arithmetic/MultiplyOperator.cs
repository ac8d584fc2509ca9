using System.Numerics;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Arithmetic;

/// <summary><c>x * y</c>; integers wrap on overflow (the low bits of the product), as the scalar <c>unchecked</c> form does.</summary>
/// <typeparam name="T">A primitive numeric type the vector types support.</typeparam>
public readonly struct MultiplyOperator<T> : IBinaryOperator<T>
    where T : unmanaged, INumberBase<T>
{
    /// <inheritdoc />
    public static T Invoke(T x, T y) => unchecked(x * y);

    /// <inheritdoc />
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x * y;

    /// <inheritdoc />
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x * y;

    /// <inheritdoc />
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x * y;
}
