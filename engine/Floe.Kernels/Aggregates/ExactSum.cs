using System.Runtime.CompilerServices;

namespace Floe.Kernels.Aggregates;

/// <summary>
/// An exact, order-independent accumulator for sums of finite doubles that also supports removal, so a sliding
/// window can add and evict values. The value it reports is the correctly rounded (round-half-even) exact sum of the
/// values currently held, so it depends only on the multiset of values in the window: never on the order they were
/// added, on values added and removed earlier, or on where a computation started. This is what lets a streaming
/// caller and a batch run with any lookback produce bit-identical results.
/// </summary>
/// <remarks>
/// The state is a 2,112-bit two's complement fixed-point number whose least significant bit is 2^-1074, the smallest
/// subnormal, held as 66 signed 64-bit limbs of 32 value bits each in carry-save form. Adding a value touches three
/// limbs; reading normalises only the limbs ever touched. Non-finite values are not accepted here: callers count NaN
/// and infinities separately (see the feature semantics in engine/Floe.Features/docs/features.md).
/// </remarks>
public sealed class ExactSum
{
    private const int LimbBits = 32;
    private const int Limbs = 68;
    private const int Bias = 1074;
    // Each add moves a limb by less than 2^32; normalising before 2^30 adds keeps every limb far from overflow.
    private const int AddsBeforeNormalise = 1 << 30;

    // Fast path: values that are exact multiples of 2^-64 below 2^40 in magnitude are summed in one Int128 (each
    // term < 2^104; on the rare overflow the fast part moves to the limbs); the rest go to the wide limbs. Both parts are exact, so the
    // split never changes a result, only its cost.
    private const int FastLsb = -64;
    private const int FastMaxExponent = 40;
    private Int128 _fast;

    // Allocated on the first value outside the fast path: most windows (prices, amounts) never need the wide limbs,
    // and 544 bytes per accumulator adds up over millions of (entity, window) states.
    private long[] _limbs = [];
    private int _lo = Limbs;
    private int _hi = -1;
    private int _pendingAdds;

    /// <summary>Adds <paramref name="value"/> (finite) to the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value) => Accumulate(value, false);

    /// <summary>Removes a value previously added; the sum is then exactly as if it had never been added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Remove(double value) => Accumulate(value, true);

    /// <summary>Resets the sum to exactly zero.</summary>
    public void Clear()
    {
        _fast = 0;
        if (_hi >= _lo)
        {
            Array.Clear(_limbs, _lo, _hi - _lo + 1);
        }
        _lo = Limbs;
        _hi = -1;
        _pendingAdds = 0;
    }

    private void Accumulate(double value, bool negate)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exponent = (int)((bits >> 52) & 0x7FF);
        ulong mantissa = (ulong)bits & 0xF_FFFF_FFFF_FFFFUL;
        if (exponent == 0)
        {
            if (mantissa == 0)
            {
                return;
            }
            exponent = 1;
        }
        else
        {
            mantissa |= 1UL << 52;
        }
        // value = mantissa * 2^(exponent - 1075); its lowest bit sits at offset (exponent - 1) above 2^-1074.
        int lsb = exponent - 1075 + System.Numerics.BitOperations.TrailingZeroCount(mantissa);
        if (lsb >= FastLsb && exponent - 1023 < FastMaxExponent)
        {
            Int128 term = (Int128)(mantissa >> (lsb - (exponent - 1075))) << (lsb - FastLsb);
            if ((bits < 0) != negate)
            {
                term = -term;
            }
            Int128 sum = _fast + term;
            // Overflow needs millions of terms near 2^40: move the fast part to the wide limbs and start over.
            if ((_fast < 0) == (term < 0) && (sum < 0) != (_fast < 0))
            {
                AddWide(_fast, 1);
                sum = term;
            }
            _fast = sum;
            return;
        }
        if (_limbs.Length == 0) { _limbs = new long[Limbs]; }
        int offset = exponent - 1;
        int k = offset >> 5;
        int shift = offset & (LimbBits - 1);
        UInt128 wide = (UInt128)mantissa << shift;
        long l0 = (long)(ulong)(wide & 0xFFFF_FFFF);
        long l1 = (long)(ulong)((wide >> 32) & 0xFFFF_FFFF);
        long l2 = (long)(ulong)(wide >> 64);
        if ((bits < 0) != negate)
        {
            l0 = -l0;
            l1 = -l1;
            l2 = -l2;
        }
        _limbs[k] += l0;
        _limbs[k + 1] += l1;
        _limbs[k + 2] += l2;
        if (k < _lo)
        {
            _lo = k;
        }
        if (k + 2 > _hi)
        {
            _hi = k + 2;
        }
        if (++_pendingAdds >= AddsBeforeNormalise)
        {
            Normalise();
        }
    }

    /// <summary>
    /// Propagates carries so every limb holds 0..2^32-1, except that a negative total keeps its top limb in
    /// -2^32..-1 (the sign lives there, since nothing is stored above it). Returns -1 for a negative total, else 0.
    /// </summary>
    private long Normalise()
    {
        long carry = 0;
        for (int i = _lo; i <= _hi; i++)
        {
            long v = _limbs[i] + carry;
            carry = v >> LimbBits;
            _limbs[i] = v & 0xFFFF_FFFF;
        }
        _pendingAdds = 0;
        while (carry != 0 && carry != -1)
        {
            // Spill into the limb above, which always exists because values never reach the top limbs.
            _hi++;
            _limbs[_hi] = carry & 0xFFFF_FFFF;
            carry >>= LimbBits;
        }
        if (carry == -1)
        {
            _limbs[_hi] -= 1L << LimbBits;
        }
        return carry;
    }

    /// <summary>The exact sum rounded to the nearest double (ties to even); 0.0 when empty or exactly zero.</summary>
    public double Value
    {
        get
        {
            if (_hi < _lo || IsWideZero())
            {
                // (double)Int128 rounds once, to nearest even; scaling by 2^-64 is exact for any non-zero result.
                return _fast == 0 ? 0.0 : Math.ScaleB((double)_fast, FastLsb);
            }
            if (_fast != 0)
            {
                AddWide(_fast, 1);
                double v = WideValue();
                AddWide(_fast, -1);
                return v;
            }
            return WideValue();
        }
    }

    private bool IsWideZero()
    {
        for (int i = _lo; i <= _hi; i++)
        {
            if (_limbs[i] != 0)
            {
                // Carry-save limbs can hold a zero total with non-zero limbs; normalise to be sure.
                Normalise();
                for (int k = _lo; k <= _hi; k++)
                {
                    if (_limbs[k] != 0) { return false; }
                }
                return true;
            }
        }
        return true;
    }

    /// <summary>Adds <paramref name="sign"/> × <paramref name="value"/> × 2^-64 to the wide limbs.</summary>
    private void AddWide(Int128 value, int sign)
    {
        if (_limbs.Length == 0) { _limbs = new long[Limbs]; }
        bool negative = (value < 0) != (sign < 0);
        UInt128 mag = value < 0 ? (UInt128)(-value) : (UInt128)value;
        // 2^-64 sits at bit 1010 above 2^-1074: limb 31, bit 18.
        const int offset = -64 + Bias;
        int k = offset >> 5;
        int shift = offset & (LimbBits - 1);
        for (int i = 0; i < 5; i++)
        {
            // Take 32-bit digits of mag << shift without overflowing: digit i covers bits [32i - shift, 32i + 32 - shift).
            int lowBit = (32 * i) - shift;
            ulong digit = lowBit >= 0 ? (ulong)((mag >> lowBit) & 0xFFFF_FFFF) : (ulong)((mag << -lowBit) & 0xFFFF_FFFF);
            long d = (long)digit;
            _limbs[k + i] += negative ? -d : d;
        }
        if (k < _lo) { _lo = k; }
        if (k + 4 > _hi) { _hi = k + 4; }
        _pendingAdds++;
    }

    private double WideValue()
    {
        {
            long sign = Normalise();
            if (sign == 0)
            {
                return Round(_limbs.AsSpan(_lo, _hi - _lo + 1), _lo);
            }
            // Negative: read the magnitude from a two's complement copy so the state stays untouched.
            int n = _hi - _lo + 1;
            Span<long> mag = n <= 16 ? stackalloc long[16] : new long[n];
            long borrow = 1;
            for (int i = 0; i < n; i++)
            {
                long v = (~_limbs[_lo + i] & 0xFFFF_FFFF) + borrow;
                borrow = v >> LimbBits;
                mag[i] = v & 0xFFFF_FFFF;
            }
            return -Round(mag[..n], _lo);
        }
    }

    /// <summary>Rounds the non-negative number in <paramref name="limbs"/>, whose limb 0 is absolute limb <paramref name="baseLimb"/>.</summary>
    private static double Round(ReadOnlySpan<long> limbs, int baseLimb)
    {
        const int lo = 0;
        int top = limbs.Length - 1;
        while (top >= lo && limbs[top] == 0)
        {
            top--;
        }
        if (top < lo)
        {
            return 0.0;
        }
        // Take three limbs (96 bits, at least 65 significant) and fold every lower bit into a sticky bit; the
        // UInt128 to double conversion then rounds once, correctly.
        UInt128 head = 0;
        int taken = 0;
        for (int i = top; i >= lo && taken < 3; i--, taken++)
        {
            head = (head << 32) | (ulong)limbs[i];
        }
        int lowest = top - taken + 1;
        for (int i = lowest - 1; i >= lo; i--)
        {
            if (limbs[i] != 0)
            {
                head |= 1;
                break;
            }
        }
        // head has taken*32 bits; its least significant bit weighs 2^(32*(lowest) - 1074).
        head <<= 32 * (3 - taken);
        int scale = 32 * (baseLimb + lowest - (3 - taken)) - Bias;
        return ScaleExact(head, scale);
    }

    private static double ScaleExact(UInt128 head, int scale)
    {
        // head < 2^96. When the result is normal, (double)head rounds correctly and ScaleB is exact. For subnormal
        // results, pre-shift so the single rounding happens at the subnormal quantum.
        int bitLength = 128 - (int)UInt128.LeadingZeroCount(head);
        int resultExponent = bitLength - 1 + scale;
        if (resultExponent >= -1022)
        {
            return Math.ScaleB((double)head, scale);
        }
        // Drop bits below 2^-1074 into a sticky bit, then convert the now exactly representable integer.
        int drop = -1074 - scale;
        if (drop <= 0)
        {
            return Math.ScaleB((double)head, scale);
        }
        if (drop >= 120)
        {
            return 0.0;
        }
        UInt128 kept = head >> drop;
        UInt128 rest = head & ((UInt128.One << drop) - 1);
        UInt128 half = UInt128.One << (drop - 1);
        if (rest > half || (rest == half && (kept & 1) == 1))
        {
            kept++;
        }
        return Math.ScaleB((double)kept, -1074);
    }
}
