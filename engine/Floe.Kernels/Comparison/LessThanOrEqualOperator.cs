using System.Numerics;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Comparison;

/// <summary><c>x &lt;= y</c> (false for NaN).</summary>
/// <typeparam name="T">A primitive numeric type the vector types support.</typeparam>
public readonly struct LessThanOrEqualOperator<T> : IComparisonOperator<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc />
    public static bool Invoke(T x, T y) => x <= y;

    /// <inheritdoc />
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128.LessThanOrEqual(x, y);

    /// <inheritdoc />
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.LessThanOrEqual(x, y);

    /// <inheritdoc />
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.LessThanOrEqual(x, y);
}
