using System.Runtime.Intrinsics;

namespace Floe.Kernels.Operators;

/// <summary>
/// An element-wise operation <c>f(x)</c> from <typeparamref name="TIn"/> to <typeparamref name="TOut"/> (both the same
/// width, so a vector of inputs gives one vector of outputs): a scalar form, the reference, and one form per vector
/// width. Every form must give the same result for the same lanes.
/// </summary>
/// <typeparam name="TIn">The input element type.</typeparam>
/// <typeparam name="TOut">The output element type, as wide as <typeparamref name="TIn"/>.</typeparam>
public interface IUnaryOperator<TIn, TOut>
    where TIn : unmanaged
    where TOut : unmanaged
{
    /// <summary>The operation on one value.</summary>
    static abstract TOut Invoke(TIn x);

    /// <summary>The operation on a 128-bit vector.</summary>
    static abstract Vector128<TOut> Invoke(Vector128<TIn> x);

    /// <summary>The operation on a 256-bit vector.</summary>
    static abstract Vector256<TOut> Invoke(Vector256<TIn> x);

    /// <summary>The operation on a 512-bit vector.</summary>
    static abstract Vector512<TOut> Invoke(Vector512<TIn> x);
}
