using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Bitmaps;

/// <summary><c>x &amp; y</c>: rows set in both bitmaps (validity of a binary operator, a conjunction of selections).</summary>
public readonly struct BitwiseAndOperator : IBinaryOperator<ulong>
{
    /// <inheritdoc />
    public static ulong Invoke(ulong x, ulong y) => x & y;

    /// <inheritdoc />
    public static Vector128<ulong> Invoke(Vector128<ulong> x, Vector128<ulong> y) => x & y;

    /// <inheritdoc />
    public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y) => x & y;

    /// <inheritdoc />
    public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y) => x & y;
}
