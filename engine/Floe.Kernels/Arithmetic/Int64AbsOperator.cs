using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Arithmetic;

/// <summary>
/// <c>|x|</c> of a long, where <see cref="long.MinValue"/> (which has no positive counterpart) gives 0 rather than
/// overflowing: the feature language's <c>abs</c> never throws.
/// </summary>
public readonly struct Int64AbsOperator : IUnaryOperator<long, long>
{
    /// <inheritdoc />
    public static long Invoke(long x) => x == long.MinValue ? 0 : Math.Abs(x);

    /// <inheritdoc />
    public static Vector128<long> Invoke(Vector128<long> x) =>
        Vector128.AndNot(Vector128.Abs(x), Vector128.Equals(x, Vector128.Create(long.MinValue)));

    /// <inheritdoc />
    public static Vector256<long> Invoke(Vector256<long> x) =>
        Vector256.AndNot(Vector256.Abs(x), Vector256.Equals(x, Vector256.Create(long.MinValue)));

    /// <inheritdoc />
    public static Vector512<long> Invoke(Vector512<long> x) =>
        Vector512.AndNot(Vector512.Abs(x), Vector512.Equals(x, Vector512.Create(long.MinValue)));
}
