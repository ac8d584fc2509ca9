using System.Numerics;
using System.Runtime.CompilerServices;

namespace Floe.Features.Engine;

/// <summary>
/// The window groups' exact double sums: a double that is a multiple of 2^-64 below 2^32 in magnitude is the
/// Int128 integer value × 2^64 (a term), and a sum of terms reads back as one correctly rounded double. Written with
/// 64-bit halves because the kernel converts a value for every event and reads a sum for every output row, and the
/// runtime's Int128 shifts and Int128 → double conversion are calls.
/// </summary>
internal static class FixedPoint
{
    private const ulong MantissaMask = 0xF_FFFF_FFFF_FFFFUL;

    /// <summary>
    /// <paramref name="bits"/> (a double) × 2^64 as an integer when that is exact and below 2^96 in magnitude: the
    /// value has no bits below 2^-64 and its magnitude is below 2^32, so a window of any size the arena can hold (under
    /// 2^31 events) sums without overflow. ±0 gives 0; subnormals, NaN, infinities and other values give false.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryTerm(long bits, out Int128 term)
    {
        int exponent = (int)((bits >> 52) & 0x7FF);
        ulong mantissa = ((ulong)bits & MantissaMask) | (1UL << 52);
        // value = mantissa × 2^(exponent − 1075), so value × 2^64 = mantissa × 2^(exponent − 1011).
        int shift = exponent - 1011;
        if ((uint)(shift + 52) <= 95)
        {
            ulong lo, hi;
            if (shift >= 0)
            {
                lo = mantissa << shift;
                // mantissa >> (64 − shift), written so shift 0 gives 0 rather than a shift by 64.
                hi = (mantissa >> 1) >> (63 - shift);
            }
            else
            {
                if ((mantissa & ((1UL << -shift) - 1)) != 0)
                {
                    term = 0;
                    return false;
                }
                lo = mantissa >> -shift;
                hi = 0;
            }
            term = Negate(hi, lo, bits);
            return true;
        }
        term = 0;
        return exponent == 0 && ((ulong)bits & MantissaMask) == 0;
    }

    /// <summary>
    /// The term of a double known to have one (see <see cref="TryTerm"/>), as two's-complement halves: what a window
    /// evicts, whose values were all taken when they were added. Returns the low half, the high half in <paramref name="hi"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong TermLow(long bits, out ulong hi)
    {
        int exponent = (int)((bits >> 52) & 0x7FF);
        ulong mantissa = ((ulong)bits & MantissaMask) | (1UL << 52);
        int shift = exponent - 1011;
        ulong lo;
        if (shift >= 0)
        {
            lo = mantissa << shift;
            hi = (mantissa >> 1) >> (63 - shift);
        }
        else
        {
            lo = mantissa >> -shift;
            hi = 0;
        }
        // Zero (exponent 0: only ±0 has a term among subnormals) gives 0.
        ulong keep = exponent == 0 ? 0UL : ~0UL;
        lo &= keep;
        hi &= keep;
        ulong neg = (ulong)(bits >> 63);
        ulong nonzero = lo != 0 ? 1UL : 0UL;
        hi = ((hi ^ neg) - neg) - (neg & nonzero);
        return (lo ^ neg) - neg;
    }

    // (hi, lo) negated when the sign bit of bits is set, without a branch on the sign.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Int128 Negate(ulong hi, ulong lo, long bits)
    {
        ulong neg = (ulong)(bits >> 63);
        ulong nonzero = lo != 0 ? 1UL : 0UL;
        return new Int128(((hi ^ neg) - neg) - (neg & nonzero), (lo ^ neg) - neg);
    }

    /// <summary>
    /// The double nearest <paramref name="sum"/> × 2^-64 (ties to even): the sum's top 63 bits with a sticky bit
    /// for the rest convert to double with the one rounding, and the power-of-two scaling after it is exact (the
    /// result stays normal: |sum| ≥ 1 or it is 0). Equal to <c>(double)sum * 2^-64</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value(Int128 sum) => Value(Upper(sum), (ulong)sum);

    /// <summary>As <see cref="Value(Int128)"/> for the two's-complement halves of a sum, which the kernel keeps apart so they stay in registers.</summary>
    /// <remarks>
    /// The usual sum (magnitude from 1 to 2^62) is converted as it is, signed, with one branch and no call: shifted
    /// right (a floor, in two's complement) so 63 bits remain with the sign, and whether any shifted-out bit was set
    /// ORed into the lowest bit. The true value lies strictly between the floor and the next integer, so this bit
    /// only breaks what would be a tie at the rounding position, the way it should, and the conversion rounds the
    /// value to nearest, ties to even, for either sign (as rounding the magnitude and negating does). The rest (below
    /// 1 or from 2^62 in magnitude) go through <see cref="ValueRare"/>. The kernels read a sum a window per event:
    /// taking the magnitude first and putting the sign back cost another ~25 instructions a sum (callgrind, 1M events).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value(ulong hi, ulong lo)
    {
        // The high half's bits below its run of sign bits: in [1, 2^62) for the usual sum.
        ulong h = hi ^ (ulong)((long)hi >> 63);
        if (h - 1 >= (1UL << 62) - 1) { return ValueRare(hi, lo); }
        // lz ∈ [2, 63] copies of the sign lead hi: shift left by lz − 1 keeps one of them, and the shift right by
        // 65 − lz ∈ [2, 63] of the 128-bit sum leaves 63 bits below it.
        int lz = BitOperations.LeadingZeroCount(h);
        ulong top = (hi << (lz - 1)) | (lo >> (65 - lz));
        top |= (lo << (lz - 1)) != 0 ? 1UL : 0UL;
        return (long)top * BitConverter.Int64BitsToDouble((long)(1024 - lz) << 52);
    }

    /// <summary><see cref="Value(ulong, ulong)"/> of any sum: from its magnitude, the sign put back after rounding.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ValueRare(ulong hi, ulong lo)
    {
        ulong neg = (ulong)((long)hi >> 63);
        // The magnitude, as with Negate.
        ulong nonzero = lo != 0 ? 1UL : 0UL;
        hi = ((hi ^ neg) - neg) - (neg & nonzero);
        lo = (lo ^ neg) - neg;
        double magnitude;
        if (hi == 0 && (long)lo >= 0)
        {
            magnitude = (long)lo * TwoToMinus64;
        }
        else
        {
            int lz = hi == 0 ? 64 : BitOperations.LeadingZeroCount(hi);
            if (lz == 0) { return MinValue(); }
            // Shift right by sh = 65 − lz ∈ [1, 64] so 63 bits remain; OR in whether any shifted-out bit was set.
            int sh = 65 - lz;
            ulong top = lz == 64 ? lo >> 1 : (hi << (lz - 1)) | ((lo >> 1) >> (sh - 1));
            top |= (lo << (64 - sh)) != 0 ? 1UL : 0UL;
            magnitude = (long)top * BitConverter.Int64BitsToDouble((long)(1023 + sh - 64) << 52);
        }
        return neg != 0 ? -magnitude : magnitude;
    }

    // The one sum whose magnitude does not fit: Int128.MinValue (−2^127), × 2^-64.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double MinValue() => -Math.ScaleB(1.0, 63);

    /// <summary>The upper 64 bits of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Upper(Int128 value) => Unsafe.Add(ref Unsafe.As<Int128, ulong>(ref value), BitConverter.IsLittleEndian ? 1 : 0);

    private const double TwoToMinus64 = 5.421010862427522170037264004349708557128906250e-20;
}
