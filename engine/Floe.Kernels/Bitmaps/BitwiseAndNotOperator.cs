using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Bitmaps;

/// <summary><c>x &amp; ~y</c>: rows set in the first bitmap and not the second (a selection minus deleted or null rows).</summary>
public readonly struct BitwiseAndNotOperator : IBinaryOperator<ulong>
{
    /// <inheritdoc />
    public static ulong Invoke(ulong x, ulong y) => x & ~y;

    /// <inheritdoc />
    public static Vector128<ulong> Invoke(Vector128<ulong> x, Vector128<ulong> y) => Vector128.AndNot(x, y);

    /// <inheritdoc />
    public static Vector256<ulong> Invoke(Vector256<ulong> x, Vector256<ulong> y) => Vector256.AndNot(x, y);

    /// <inheritdoc />
    public static Vector512<ulong> Invoke(Vector512<ulong> x, Vector512<ulong> y) => Vector512.AndNot(x, y);
}
