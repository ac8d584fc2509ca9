using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Floe.Kernels.Operators;

namespace Floe.Kernels.Drivers;

/// <summary>
/// Runs an <see cref="IComparisonOperator{T}"/> over spans into the two shapes callers keep booleans in: 0/1 flags
/// (one <c>long</c> per row, the feature engine's boolean columns) and selection bitmaps (one bit per row, LSB first,
/// as Arrow validity and scan selections are). Vectors of the widest accelerated width, overlapping tails for flags,
/// a scalar loop for the last partial word of a bitmap.
/// </summary>
public static class ComparisonDriver
{
    /// <summary>
    /// <c>flags[i] = TOp(x[i], y[i]) ? 1 : 0</c> for 64-bit <typeparamref name="T"/> (<c>long</c>, <c>double</c>):
    /// a lane mask is then exactly one flag wide.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or <typeparamref name="T"/> is not 8 bytes wide.</exception>
    public static void ToFlags<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<long> flags)
        where T : unmanaged
        where TOp : IComparisonOperator<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("input spans differ in length", nameof(y));
        Check<T>(x.Length, flags.Length);
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref long fr = ref MemoryMarshal.GetReference(flags);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int c = Vector512<T>.Count;
            for (int i = 0; i <= n - c; i += c) { Flags512<T, TOp>(Vector512.LoadUnsafe(ref xr, (nuint)i), Vector512.LoadUnsafe(ref yr, (nuint)i), ref fr, i); }
            Flags512<T, TOp>(Vector512.LoadUnsafe(ref xr, (nuint)(n - c)), Vector512.LoadUnsafe(ref yr, (nuint)(n - c)), ref fr, n - c);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int c = Vector256<T>.Count;
            for (int i = 0; i <= n - c; i += c) { Flags256<T, TOp>(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i), ref fr, i); }
            Flags256<T, TOp>(Vector256.LoadUnsafe(ref xr, (nuint)(n - c)), Vector256.LoadUnsafe(ref yr, (nuint)(n - c)), ref fr, n - c);
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            int c = Vector128<T>.Count;
            for (int i = 0; i <= n - c; i += c) { Flags128<T, TOp>(Vector128.LoadUnsafe(ref xr, (nuint)i), Vector128.LoadUnsafe(ref yr, (nuint)i), ref fr, i); }
            Flags128<T, TOp>(Vector128.LoadUnsafe(ref xr, (nuint)(n - c)), Vector128.LoadUnsafe(ref yr, (nuint)(n - c)), ref fr, n - c);
            return;
        }
        for (int i = 0; i < n; i++) { Unsafe.Add(ref fr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i)) ? 1 : 0; }
    }

    /// <summary><c>flags[i] = TOp(x[i], y) ? 1 : 0</c> (a column against a constant) for 64-bit <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">The flags are shorter than the input, or <typeparamref name="T"/> is not 8 bytes wide.</exception>
    public static void ToFlags<T, TOp>(ReadOnlySpan<T> x, T y, Span<long> flags)
        where T : unmanaged
        where TOp : IComparisonOperator<T>
    {
        Check<T>(x.Length, flags.Length);
        int n = x.Length;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref long fr = ref MemoryMarshal.GetReference(flags);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int c = Vector512<T>.Count;
            var b = Vector512.Create(y);
            for (int i = 0; i <= n - c; i += c) { Flags512<T, TOp>(Vector512.LoadUnsafe(ref xr, (nuint)i), b, ref fr, i); }
            Flags512<T, TOp>(Vector512.LoadUnsafe(ref xr, (nuint)(n - c)), b, ref fr, n - c);
            return;
        }
        if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int c = Vector256<T>.Count;
            var b = Vector256.Create(y);
            for (int i = 0; i <= n - c; i += c) { Flags256<T, TOp>(Vector256.LoadUnsafe(ref xr, (nuint)i), b, ref fr, i); }
            Flags256<T, TOp>(Vector256.LoadUnsafe(ref xr, (nuint)(n - c)), b, ref fr, n - c);
            return;
        }
        if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            int c = Vector128<T>.Count;
            var b = Vector128.Create(y);
            for (int i = 0; i <= n - c; i += c) { Flags128<T, TOp>(Vector128.LoadUnsafe(ref xr, (nuint)i), b, ref fr, i); }
            Flags128<T, TOp>(Vector128.LoadUnsafe(ref xr, (nuint)(n - c)), b, ref fr, n - c);
            return;
        }
        for (int i = 0; i < n; i++) { Unsafe.Add(ref fr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), y) ? 1 : 0; }
    }

    /// <summary>
    /// Sets bit i of <paramref name="bits"/> (word i / 64, LSB first) to <c>TOp(x[i], y)</c>, for any primitive
    /// <typeparamref name="T"/>; bits past the input in the last word are cleared.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bits"/> has fewer than ceil(n / 64) words.</exception>
    public static void ToBitmap<T, TOp>(ReadOnlySpan<T> x, T y, Span<ulong> bits)
        where T : unmanaged
        where TOp : IComparisonOperator<T>
    {
        int n = x.Length;
        int words = (n + 63) >> 6;
        if (bits.Length < words) throw new ArgumentException("bitmap is shorter than the input", nameof(bits));
        ref T xr = ref MemoryMarshal.GetReference(x);
        int full = n >> 6;
        // A 64-row word is a whole number of vectors at every width (lane counts are powers of two up to 64).
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && Vector256<T>.Count <= 64)
        {
            var b = Vector256.Create(y);
            int c = Vector256<T>.Count;
            for (int w = 0; w < full; w++)
            {
                ulong word = 0;
                for (int k = 0; k < 64; k += c)
                {
                    word |= (ulong)TOp.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)((w << 6) + k)), b).ExtractMostSignificantBits() << k;
                }
                bits[w] = word;
            }
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            var b = Vector128.Create(y);
            int c = Vector128<T>.Count;
            for (int w = 0; w < full; w++)
            {
                ulong word = 0;
                for (int k = 0; k < 64; k += c)
                {
                    word |= (ulong)TOp.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)((w << 6) + k)), b).ExtractMostSignificantBits() << k;
                }
                bits[w] = word;
            }
        }
        else
        {
            for (int w = 0; w < full; w++) { bits[w] = ScalarWord<T, TOp>(x.Slice(w << 6, 64), y); }
        }
        if (full < words) { bits[full] = ScalarWord<T, TOp>(x[(full << 6)..], y); }
    }

    /// <summary>
    /// Sets bit i of <paramref name="bits"/> to <c>TOp(x[i], y[i])</c> (two columns), for any primitive
    /// <typeparamref name="T"/>; bits past the input in the last word are cleared.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or <paramref name="bits"/> has fewer than ceil(n / 64) words.</exception>
    public static void ToBitmap<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<ulong> bits)
        where T : unmanaged
        where TOp : IComparisonOperator<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("input spans differ in length", nameof(y));
        int n = x.Length;
        int words = (n + 63) >> 6;
        if (bits.Length < words) throw new ArgumentException("bitmap is shorter than the input", nameof(bits));
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int full = n >> 6;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && Vector256<T>.Count <= 64)
        {
            int c = Vector256<T>.Count;
            for (int w = 0; w < full; w++)
            {
                ulong word = 0;
                for (int k = 0; k < 64; k += c)
                {
                    nuint at = (nuint)((w << 6) + k);
                    word |= (ulong)TOp.Invoke(Vector256.LoadUnsafe(ref xr, at), Vector256.LoadUnsafe(ref yr, at)).ExtractMostSignificantBits() << k;
                }
                bits[w] = word;
            }
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            int c = Vector128<T>.Count;
            for (int w = 0; w < full; w++)
            {
                ulong word = 0;
                for (int k = 0; k < 64; k += c)
                {
                    nuint at = (nuint)((w << 6) + k);
                    word |= (ulong)TOp.Invoke(Vector128.LoadUnsafe(ref xr, at), Vector128.LoadUnsafe(ref yr, at)).ExtractMostSignificantBits() << k;
                }
                bits[w] = word;
            }
        }
        else
        {
            for (int w = 0; w < full; w++) { bits[w] = ScalarWord<T, TOp>(x.Slice(w << 6, 64), y.Slice(w << 6, 64)); }
        }
        if (full < words) { bits[full] = ScalarWord<T, TOp>(x[(full << 6)..], y[(full << 6)..]); }
    }

    private static ulong ScalarWord<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged
        where TOp : IComparisonOperator<T>
    {
        ulong word = 0;
        for (int k = 0; k < x.Length; k++) { word |= (TOp.Invoke(x[k], y[k]) ? 1UL : 0UL) << k; }
        return word;
    }

    private static ulong ScalarWord<T, TOp>(ReadOnlySpan<T> x, T y)
        where T : unmanaged
        where TOp : IComparisonOperator<T>
    {
        ulong word = 0;
        for (int k = 0; k < x.Length; k++) { word |= (TOp.Invoke(x[k], y) ? 1UL : 0UL) << k; }
        return word;
    }

    private static void Check<T>(int length, int flags)
        where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() != sizeof(long)) throw new ArgumentException($"flags need a 64-bit element type, not {typeof(T).Name}");
        if (flags < length) throw new ArgumentException("flags are shorter than the input", nameof(flags));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flags512<T, TOp>(Vector512<T> x, Vector512<T> y, ref long flags, int at)
        where T : unmanaged
        where TOp : IComparisonOperator<T> =>
        (TOp.Invoke(x, y).As<T, long>() & Vector512<long>.One).StoreUnsafe(ref flags, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flags256<T, TOp>(Vector256<T> x, Vector256<T> y, ref long flags, int at)
        where T : unmanaged
        where TOp : IComparisonOperator<T> =>
        (TOp.Invoke(x, y).As<T, long>() & Vector256<long>.One).StoreUnsafe(ref flags, (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Flags128<T, TOp>(Vector128<T> x, Vector128<T> y, ref long flags, int at)
        where T : unmanaged
        where TOp : IComparisonOperator<T> =>
        (TOp.Invoke(x, y).As<T, long>() & Vector128<long>.One).StoreUnsafe(ref flags, (nuint)at);
}
