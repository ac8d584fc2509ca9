using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Floe.Kernels.Aggregates;

/// <summary>
/// The smallest and largest selected values of a span (selection as in <see cref="MaskedSum"/>: bit i of word i/64,
/// or every row for an empty mask), with NaN kept apart: NaN never becomes the minimum or maximum here, and
/// <c>sawNaN</c> reports whether a selected value was NaN, so a caller can apply its own NaN ordering (SQL engines
/// such as DuckDB sort NaN above every number).
/// </summary>
public static class MaskedMinMax
{
    /// <summary>
    /// Finds the minimum and maximum of the selected non-NaN values; false (min and max default) when there is none.
    /// </summary>
    /// <exception cref="ArgumentException">A non-empty mask holds fewer than <c>ceil(values.Length / 64)</c> words.</exception>
    public static bool Find<T>(ReadOnlySpan<T> values, ReadOnlySpan<ulong> mask, out T min, out T max, out bool sawNaN)
        where T : unmanaged, INumber<T>
    {
        MaskedSum.CheckMask(values.Length, mask);
        min = default;
        max = default;
        sawNaN = false;
        // Seed every lane with the first selected non-NaN value, so no sentinel (infinity, MaxValue) is needed.
        var first = -1;
        for (var i = 0; i < values.Length; i++)
        {
            if (!Selected(mask, i)) continue;
            if (T.IsNaN(values[i]))
            {
                sawNaN = true;
                continue;
            }
            first = i;
            break;
        }
        if (first < 0) return false;
        var lo = values[first];
        var hi = lo;
        var vmin = Vector256.Create(lo);
        var vmax = vmin;
        var nan = Vector256<T>.Zero;
        var floating = typeof(T) == typeof(double) || typeof(T) == typeof(float) || typeof(T) == typeof(Half);
        var vectors = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        var width = Vector256<T>.Count;
        ref var v0 = ref MemoryMarshal.GetReference(values);
        var words = (values.Length + 63) >> 6;
        for (var w = first >> 6; w < words; w++)
        {
            var start = w << 6;
            var bits = mask.IsEmpty ? ulong.MaxValue : mask[w];
            if (start == (first & ~63)) bits &= ~0UL << (first & 63);
            if (bits == 0) continue;
            if (bits == ulong.MaxValue && vectors && start + 64 <= values.Length)
            {
                for (var i = start; i < start + 64; i += width)
                {
                    var v = Vector256.LoadUnsafe(ref v0, (nuint)i);
                    // A comparison with NaN is false, so NaN lanes never replace the running values.
                    vmin = Vector256.ConditionalSelect(Vector256.LessThan(v, vmin), v, vmin);
                    vmax = Vector256.ConditionalSelect(Vector256.GreaterThan(v, vmax), v, vmax);
                    if (floating) nan |= ~Vector256.Equals(v, v);
                }
                continue;
            }
            while (bits != 0)
            {
                var i = start + BitOperations.TrailingZeroCount(bits);
                if (i >= values.Length) break;
                var x = values[i];
                if (x < lo) lo = x;
                if (x > hi) hi = x;
                if (floating && T.IsNaN(x)) sawNaN = true;
                bits &= bits - 1;
            }
        }
        for (var lane = 0; lane < width; lane++)
        {
            var a = vmin.GetElement(lane);
            var b = vmax.GetElement(lane);
            if (a < lo) lo = a;
            if (b > hi) hi = b;
        }
        sawNaN |= nan != Vector256<T>.Zero;
        min = lo;
        max = hi;
        return true;
    }

    private static bool Selected(ReadOnlySpan<ulong> mask, int i) => mask.IsEmpty || ((mask[i >> 6] >> (i & 63)) & 1UL) != 0;
}
