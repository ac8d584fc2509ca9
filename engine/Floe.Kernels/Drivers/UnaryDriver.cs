using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Drivers;

/// <summary>
/// Runs an <see cref="IUnaryOperator{TIn, TOut}"/> over a span: 512-, 256- or 128-bit vectors (the widest the hardware
/// accelerates that the input fills), the tail as one overlapping vector; inputs shorter than a vector go through the
/// scalar form.
/// </summary>
public static class UnaryDriver
{
    /// <summary><c>destination[i] = TOp(x[i])</c>. The destination may be the input (in place, same type) but must not overlap it otherwise.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than the input, or the two types differ in width.</exception>
    public static void Invoke<TIn, TOut, TOp>(ReadOnlySpan<TIn> x, Span<TOut> destination)
        where TIn : unmanaged
        where TOut : unmanaged
        where TOp : IUnaryOperator<TIn, TOut>
    {
        if (Unsafe.SizeOf<TIn>() != Unsafe.SizeOf<TOut>()) throw new ArgumentException("input and output types differ in width", nameof(destination));
        if (destination.Length < x.Length) throw new ArgumentException("destination is shorter than the input", nameof(destination));
        int n = x.Length;
        ref TIn xr = ref MemoryMarshal.GetReference(x);
        ref TOut dr = ref MemoryMarshal.GetReference(destination);
        if (Vector512.IsHardwareAccelerated && Vector512<TIn>.IsSupported && Vector512<TOut>.IsSupported && n >= Vector512<TIn>.Count)
        {
            int c = Vector512<TIn>.Count;
            // The last (overlapping) vector is computed before anything is stored, so an in-place call still reads inputs.
            var last = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - c)));
            for (int i = 0; i <= n - c; i += c) { TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i); }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        if (Vector256.IsHardwareAccelerated && Vector256<TIn>.IsSupported && Vector256<TOut>.IsSupported && n >= Vector256<TIn>.Count)
        {
            int c = Vector256<TIn>.Count;
            var last = TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - c)));
            for (int i = 0; i <= n - c; i += c) { TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i); }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        if (Vector128.IsHardwareAccelerated && Vector128<TIn>.IsSupported && Vector128<TOut>.IsSupported && n >= Vector128<TIn>.Count)
        {
            int c = Vector128<TIn>.Count;
            var last = TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - c)));
            for (int i = 0; i <= n - c; i += c) { TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i); }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        for (int i = 0; i < n; i++) { Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i)); }
    }
}
