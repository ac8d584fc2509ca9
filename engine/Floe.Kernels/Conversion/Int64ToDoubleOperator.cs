using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Conversion;

/// <summary><c>(double)x</c> of a long, rounded to nearest even as C#'s conversion is.</summary>
public readonly struct Int64ToDoubleOperator : IUnaryOperator<long, double>
{
    /// <inheritdoc />
    public static double Invoke(long x) => x;

    /// <inheritdoc />
    public static Vector128<double> Invoke(Vector128<long> x) => Vector128.ConvertToDouble(x);

    /// <inheritdoc />
    public static Vector256<double> Invoke(Vector256<long> x) => Vector256.ConvertToDouble(x);

    /// <inheritdoc />
    public static Vector512<double> Invoke(Vector512<long> x) => Vector512.ConvertToDouble(x);
}
