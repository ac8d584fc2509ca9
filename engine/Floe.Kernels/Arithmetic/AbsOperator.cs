using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Arithmetic;

/// <summary><c>|x|</c> of a double: the sign bit cleared (so <c>|-0| = 0</c> and NaN stays NaN), as <see cref="Math.Abs(double)"/>.</summary>
public readonly struct AbsOperator : IUnaryOperator<double, double>
{
    /// <inheritdoc />
    public static double Invoke(double x) => Math.Abs(x);

    /// <inheritdoc />
    public static Vector128<double> Invoke(Vector128<double> x) => Vector128.Abs(x);

    /// <inheritdoc />
    public static Vector256<double> Invoke(Vector256<double> x) => Vector256.Abs(x);

    /// <inheritdoc />
    public static Vector512<double> Invoke(Vector512<double> x) => Vector512.Abs(x);
}
