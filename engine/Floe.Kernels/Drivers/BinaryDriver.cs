using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Drivers;

/// <summary>
/// Runs an <see cref="IBinaryOperator{T}"/> over spans: 512-, 256- or 128-bit vectors (the widest the hardware
/// accelerates that the input fills), with the tail handled by one overlapping vector rather than a scalar loop; inputs
/// shorter than one vector go through the scalar form.
/// </summary>
public static class BinaryDriver
{
    /// <summary>
    /// <c>destination[i] = TOp(x[i], y[i])</c>. The destination may be one of the inputs (in place), but must not
    /// overlap them otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or the destination is shorter.</exception>
    public static void Invoke<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged
        where TOp : IBinaryOperator<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("input spans differ in length", nameof(y));
        if (destination.Length < x.Length) throw new ArgumentException("destination is shorter than the inputs", nameof(destination));
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            int c = Vector512<T>.Count;
            // The last (overlapping) vector is computed before anything is stored, so an in-place call still reads inputs.
            var last = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - c)), Vector512.LoadUnsafe(ref yr, (nuint)(n - c)));
            for (int i = 0; i <= n - c; i += c)
            {
                TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            int c = Vector256<T>.Count;
            var last = TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - c)), Vector256.LoadUnsafe(ref yr, (nuint)(n - c)));
            for (int i = 0; i <= n - c; i += c)
            {
                TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && n >= Vector128<T>.Count)
        {
            int c = Vector128<T>.Count;
            var last = TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - c)), Vector128.LoadUnsafe(ref yr, (nuint)(n - c)));
            for (int i = 0; i <= n - c; i += c)
            {
                TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        for (int i = 0; i < n; i++)
        {
            Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
        }
    }

    /// <summary>
    /// <c>destination[i] = TOp(x[i], y)</c>: a column against one value (a literal), without a filled column for it.
    /// The destination may be the input (in place) but must not overlap it otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than the input.</exception>
    public static void Invoke<T, TOp>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where T : unmanaged
        where TOp : IBinaryOperator<T>
    {
        if (destination.Length < x.Length) throw new ArgumentException("destination is shorter than the input", nameof(destination));
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            int c = Vector512<T>.Count;
            var b = Vector512.Create(y);
            var last = TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - c)), b);
            for (int i = 0; i <= n - c; i += c) { TOp.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i), b).StoreUnsafe(ref dr, (nuint)i); }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            int c = Vector256<T>.Count;
            var b = Vector256.Create(y);
            var last = TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - c)), b);
            for (int i = 0; i <= n - c; i += c) { TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), b).StoreUnsafe(ref dr, (nuint)i); }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && n >= Vector128<T>.Count)
        {
            int c = Vector128<T>.Count;
            var b = Vector128.Create(y);
            var last = TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - c)), b);
            for (int i = 0; i <= n - c; i += c) { TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i), b).StoreUnsafe(ref dr, (nuint)i); }
            last.StoreUnsafe(ref dr, (nuint)(n - c));
            return;
        }
        for (int i = 0; i < n; i++) { Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), y); }
    }
}
