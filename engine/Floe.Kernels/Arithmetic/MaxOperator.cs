using System.Numerics;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Arithmetic;

/// <summary>
/// <c>y &gt; x ? y : x</c>: <c>x</c> is the value so far and <c>y</c> the challenger, which
/// wins only when strictly greater. So ties and NaN keep <c>x</c> (a NaN so far stays, a NaN challenger
/// never wins), as the feature language's <c>greatest</c> picks, and unlike IEEE max/min.
/// </summary>
/// <typeparam name="T">A primitive numeric type the vector types support.</typeparam>
public readonly struct MaxOperator<T> : IBinaryOperator<T>
    where T : unmanaged, INumber<T>
{
    /// <inheritdoc />
    public static T Invoke(T x, T y) => y > x ? y : x;

    /// <inheritdoc />
    public static Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, x), y, x);

    /// <inheritdoc />
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, x), y, x);

    /// <inheritdoc />
    public static Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, x), y, x);
}
