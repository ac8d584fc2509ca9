using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Floe.Parquet.Writing;

/// <summary>
/// Min and max of a run of values, a SIMD register of lanes at a time. Statistics are taken twice over every value
/// written (as rows arrive, for the row group and file, and per page for the column index); as scalar loops they were
/// ~4% of a feature job's CPU.
/// </summary>
internal static class MinMax
{
    /// <summary>Min and max of <paramref name="values"/> (not empty).</summary>
    public static (T Min, T Max) Of<T>(ReadOnlySpan<T> values)
        where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        T lo = values[0], hi = values[0];
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= 2 * Vector<T>.Count)
        {
            var vlo = new Vector<T>(values);
            var vhi = vlo;
            for (i = Vector<T>.Count; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(values[i..]);
                vlo = Vector.Min(vlo, v);
                vhi = Vector.Max(vhi, v);
            }
            for (var k = 0; k < Vector<T>.Count; k++)
            {
                if (vlo[k] < lo) lo = vlo[k];
                if (vhi[k] > hi) hi = vhi[k];
            }
        }
        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (x < lo) lo = x;
            if (x > hi) hi = x;
        }
        return (lo, hi);
    }

    /// <summary>
    /// Min and max of the values of <paramref name="values"/> that are not NaN, and how many are NaN; false when every
    /// value is NaN (or there are none). Of equal values (-0 and +0) either may be returned.
    /// </summary>
    public static bool OfFloating<T>(ReadOnlySpan<T> values, out T min, out T max, out long nans)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && Avx.IsSupported && values.Length >= Vector256<double>.Count)
        {
            var has = OfDoubles(MemoryMarshal.Cast<T, double>(values), out var lo, out var hi, out nans);
            min = System.Runtime.CompilerServices.Unsafe.As<double, T>(ref lo);
            max = System.Runtime.CompilerServices.Unsafe.As<double, T>(ref hi);
            return has;
        }
        min = T.PositiveInfinity;
        max = T.NegativeInfinity;
        nans = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && values.Length >= Vector<T>.Count)
        {
            var vlo = new Vector<T>(T.PositiveInfinity);
            var vhi = new Vector<T>(T.NegativeInfinity);
            var nanLanes = Vector<T>.Zero;
            for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(values[i..]);
                // Comparisons with NaN are false, so a NaN lane never replaces a bound; it is counted apart.
                vlo = Vector.ConditionalSelect(Vector.LessThan(v, vlo), v, vlo);
                vhi = Vector.ConditionalSelect(Vector.GreaterThan(v, vhi), v, vhi);
                nanLanes += Vector.ConditionalSelect(Vector.Equals(v, v), Vector<T>.Zero, Vector<T>.One);
            }
            for (var k = 0; k < Vector<T>.Count; k++)
            {
                if (vlo[k] < min) min = vlo[k];
                if (vhi[k] > max) max = vhi[k];
                nans += long.CreateTruncating(nanLanes[k]);
            }
        }
        FoldScalar(values[i..], ref min, ref max, ref nans);
        return nans < values.Length;
    }

    /// <summary>
    /// <see cref="OfFloating{T}"/> for doubles with AVX: vminpd/vmaxpd with the running bound second are the compare
    /// and select of the generic loop lane for lane (a NaN or an equal value keeps the bound), so the same bounds come
    /// out, -0 and +0 included; NaNs counted by subtracting the unordered compare's all-ones lanes. Five instructions
    /// a vector instead of eight (the generic loop was ~1% of the feature job's instructions, callgrind at 1M events).
    /// </summary>
    private static bool OfDoubles(ReadOnlySpan<double> values, out double min, out double max, out long nans)
    {
        ref double first = ref MemoryMarshal.GetReference(values);
        var vlo = Vector256.Create(double.PositiveInfinity);
        var vhi = Vector256.Create(double.NegativeInfinity);
        var nanLanes = Vector256<long>.Zero;
        var lanes = Vector256<double>.Count;
        var i = 0;
        for (; i <= values.Length - lanes; i += lanes)
        {
            var v = Vector256.LoadUnsafe(ref first, (nuint)i);
            vlo = Avx.Min(v, vlo);
            vhi = Avx.Max(v, vhi);
            nanLanes -= Avx.CompareUnordered(v, v).AsInt64();
        }
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        nans = 0;
        for (var k = 0; k < lanes; k++)
        {
            if (vlo[k] < min) min = vlo[k];
            if (vhi[k] > max) max = vhi[k];
            nans += nanLanes[k];
        }
        FoldScalar(values[i..], ref min, ref max, ref nans);
        return nans < values.Length;
    }

    // The values past the vector loops, into its bounds and NaN count (a NaN never replaces a bound).
    private static void FoldScalar<T>(ReadOnlySpan<T> values, ref T min, ref T max, ref long nans)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var x in values)
        {
            if (T.IsNaN(x))
            {
                nans++;
                continue;
            }
            if (x < min) min = x;
            if (x > max) max = x;
        }
    }
}
