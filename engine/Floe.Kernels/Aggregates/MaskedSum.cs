using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Floe.Kernels.Aggregates;

/// <summary>
/// Sums of the selected values of a span: <c>Σ values[i]</c> over the rows i whose bit is set in <c>mask</c> (bit i of
/// word i/64, least significant bit first, as Arrow validity and scan selections are), or over every row when the mask
/// is empty. Whole 64-row words of set bits run as vectors, mixed words bit by bit, empty words are skipped.
/// Integers sum exactly into an <see cref="Int128"/>; doubles into a compensated <see cref="DoubleSum"/>.
/// </summary>
public static class MaskedSum
{
    /// <summary>Adds the selected values to <paramref name="sum"/> (Neumaier compensation per vector lane).</summary>
    /// <exception cref="ArgumentException">A non-empty mask holds fewer than <c>ceil(values.Length / 64)</c> words.</exception>
    public static void Add(ReadOnlySpan<double> values, ReadOnlySpan<ulong> mask, ref DoubleSum sum)
    {
        CheckMask(values.Length, mask);
        var s = Vector256<double>.Zero;
        var c = Vector256<double>.Zero;
        var scalar = new DoubleSum();
        var vectors = Vector256.IsHardwareAccelerated;
        ref var v0 = ref MemoryMarshal.GetReference(values);
        if (mask.IsEmpty)
        {
            var i = 0;
            if (vectors)
            {
                for (; i <= values.Length - 4; i += 4) Neumaier(ref s, ref c, Vector256.LoadUnsafe(ref v0, (nuint)i));
            }
            for (; i < values.Length; i++) scalar.Add(values[i]);
        }
        else
        {
            var words = (values.Length + 63) >> 6;
            for (var w = 0; w < words; w++)
            {
                var bits = mask[w];
                var start = w << 6;
                if (bits == 0) continue;
                if (bits == ulong.MaxValue && vectors && start + 64 <= values.Length)
                {
                    for (var i = start; i < start + 64; i += 4) Neumaier(ref s, ref c, Vector256.LoadUnsafe(ref v0, (nuint)i));
                    continue;
                }
                while (bits != 0)
                {
                    var i = start + BitOperations.TrailingZeroCount(bits);
                    if (i >= values.Length) break;
                    scalar.Add(values[i]);
                    bits &= bits - 1;
                }
            }
        }
        for (var lane = 0; lane < 4; lane++)
        {
            sum.Add(new DoubleSum { Sum = s.GetElement(lane), Compensation = c.GetElement(lane) });
        }
        sum.Add(scalar);
    }

    /// <summary>The exact sum of the selected values.</summary>
    /// <exception cref="ArgumentException">A non-empty mask holds fewer than <c>ceil(values.Length / 64)</c> words.</exception>
    public static Int128 Sum(ReadOnlySpan<long> values, ReadOnlySpan<ulong> mask)
    {
        CheckMask(values.Length, mask);
        // Each value splits into a signed high and an unsigned low 32-bit half; a span holds under 2^31 values, so
        // neither half's lane sums can overflow a long, and the result is exact.
        var hi = Vector256<long>.Zero;
        var lo = Vector256<long>.Zero;
        Int128 scalar = 0;
        var vectors = Vector256.IsHardwareAccelerated;
        var low = Vector256.Create(0xFFFF_FFFFL);
        ref var v0 = ref MemoryMarshal.GetReference(values);
        if (mask.IsEmpty)
        {
            var i = 0;
            if (vectors)
            {
                for (; i <= values.Length - 4; i += 4)
                {
                    var v = Vector256.LoadUnsafe(ref v0, (nuint)i);
                    hi += Vector256.ShiftRightArithmetic(v, 32);
                    lo += v & low;
                }
            }
            for (; i < values.Length; i++) scalar += values[i];
        }
        else
        {
            var words = (values.Length + 63) >> 6;
            for (var w = 0; w < words; w++)
            {
                var bits = mask[w];
                var start = w << 6;
                if (bits == 0) continue;
                if (bits == ulong.MaxValue && vectors && start + 64 <= values.Length)
                {
                    for (var i = start; i < start + 64; i += 4)
                    {
                        var v = Vector256.LoadUnsafe(ref v0, (nuint)i);
                        hi += Vector256.ShiftRightArithmetic(v, 32);
                        lo += v & low;
                    }
                    continue;
                }
                while (bits != 0)
                {
                    var i = start + BitOperations.TrailingZeroCount(bits);
                    if (i >= values.Length) break;
                    scalar += values[i];
                    bits &= bits - 1;
                }
            }
        }
        return scalar + ((Int128)Vector256.Sum(hi) << 32) + Vector256.Sum(lo);
    }

    /// <summary>The exact sum of the selected values.</summary>
    /// <exception cref="ArgumentException">A non-empty mask holds fewer than <c>ceil(values.Length / 64)</c> words.</exception>
    public static Int128 Sum(ReadOnlySpan<int> values, ReadOnlySpan<ulong> mask)
    {
        CheckMask(values.Length, mask);
        // Under 2^31 values of under 2^31 each: long lanes cannot overflow.
        var acc = Vector256<long>.Zero;
        long scalar = 0;
        var vectors = Vector256.IsHardwareAccelerated;
        ref var v0 = ref MemoryMarshal.GetReference(values);
        if (mask.IsEmpty)
        {
            var i = 0;
            if (vectors)
            {
                for (; i <= values.Length - 8; i += 8) acc += WidenSum(Vector256.LoadUnsafe(ref v0, (nuint)i));
            }
            for (; i < values.Length; i++) scalar += values[i];
        }
        else
        {
            var words = (values.Length + 63) >> 6;
            for (var w = 0; w < words; w++)
            {
                var bits = mask[w];
                var start = w << 6;
                if (bits == 0) continue;
                if (bits == ulong.MaxValue && vectors && start + 64 <= values.Length)
                {
                    for (var i = start; i < start + 64; i += 8) acc += WidenSum(Vector256.LoadUnsafe(ref v0, (nuint)i));
                    continue;
                }
                while (bits != 0)
                {
                    var i = start + BitOperations.TrailingZeroCount(bits);
                    if (i >= values.Length) break;
                    scalar += values[i];
                    bits &= bits - 1;
                }
            }
        }
        return (Int128)scalar + Vector256.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> WidenSum(Vector256<int> v)
    {
        var (lower, upper) = Vector256.Widen(v);
        return lower + upper;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Neumaier(ref Vector256<double> s, ref Vector256<double> c, Vector256<double> x)
    {
        var t = s + x;
        var bigger = Vector256.GreaterThanOrEqual(Vector256.Abs(s), Vector256.Abs(x));
        c += Vector256.ConditionalSelect(bigger, (s - t) + x, (x - t) + s);
        s = t;
    }

    internal static void CheckMask(int length, ReadOnlySpan<ulong> mask)
    {
        if (!mask.IsEmpty && mask.Length < ((length + 63) >> 6)) throw new ArgumentException($"mask of {mask.Length} words is too short for {length} values", nameof(mask));
    }
}
