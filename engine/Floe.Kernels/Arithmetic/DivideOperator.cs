using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Arithmetic;

/// <summary><c>x / y</c> of doubles under IEEE (a zero divisor gives ±∞ or NaN; <see cref="SafeDivide"/> turns those rows null).</summary>
public readonly struct DivideOperator : IBinaryOperator<double>
{
    /// <inheritdoc />
    public static double Invoke(double x, double y) => x / y;

    /// <inheritdoc />
    public static Vector128<double> Invoke(Vector128<double> x, Vector128<double> y) => x / y;

    /// <inheritdoc />
    public static Vector256<double> Invoke(Vector256<double> x, Vector256<double> y) => x / y;

    /// <inheritdoc />
    public static Vector512<double> Invoke(Vector512<double> x, Vector512<double> y) => x / y;
}
