using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Conversion;

/// <summary>
/// A double truncated toward zero to a long, or 0 where it has no long (NaN, ±∞, at or beyond ±2^63): the value half
/// of a cast; <see cref="DoubleToInt64"/> pairs it with the validity of those rows.
/// </summary>
public readonly struct TruncateToInt64Operator : IUnaryOperator<double, long>
{
    /// <summary>-2^63, the least double that has a long.</summary>
    public const double Min = -9.2233720368547758E18;

    /// <summary>2^63, the least double above every long.</summary>
    public const double Limit = 9.2233720368547758E18;

    /// <inheritdoc />
    public static long Invoke(double x)
    {
        double t = Math.Truncate(x);
        return t >= Min && t < Limit ? (long)t : 0;
    }

    /// <inheritdoc />
    public static Vector128<long> Invoke(Vector128<double> x)
    {
        var fits = Vector128.GreaterThanOrEqual(x, Vector128.Create(Min)) & Vector128.LessThan(x, Vector128.Create(Limit));
        return Vector128.ConvertToInt64(x) & fits.AsInt64();
    }

    /// <inheritdoc />
    public static Vector256<long> Invoke(Vector256<double> x)
    {
        var fits = Vector256.GreaterThanOrEqual(x, Vector256.Create(Min)) & Vector256.LessThan(x, Vector256.Create(Limit));
        return Vector256.ConvertToInt64(x) & fits.AsInt64();
    }

    /// <inheritdoc />
    public static Vector512<long> Invoke(Vector512<double> x)
    {
        var fits = Vector512.GreaterThanOrEqual(x, Vector512.Create(Min)) & Vector512.LessThan(x, Vector512.Create(Limit));
        return Vector512.ConvertToInt64(x) & fits.AsInt64();
    }
}
