namespace Floe.Features.Engine;

/// <summary>
/// A column of 64-bit values (event times, slot value bits) held in 4 bytes a value when that loses nothing, else as
/// is. Integers whose range, in steps of the largest of 10^6, 10^3 or 1 that divides every distance from the minimum,
/// spans under 2^32 keep that distance (a day of whole-millisecond or whole-second times does); else, ascending
/// integers whose gaps are all under 2^32 keep each gap (a day of microsecond times from a time-ordered source: the
/// 7-day bench set's filed events 17 -> 13 bytes each); doubles that are exactly k / 10^d for an Int32 k and d ≤ 4
/// keep k (prices, amounts). Unpacking gives back the same bits, which the packer checks value by value.
/// </summary>
internal sealed class PackedLongs
{
    private const int MaxDecimals = 4;
    // The step that marks distances from the previous value rather than from the base.
    private const long Deltas = 0;
    private static readonly double[] Powers = [1, 10, 100, 1000, 10000];

    private readonly long[]? _raw;
    private readonly int[]? _packed;
    private readonly long _base;
    private readonly long _step;
    // Doubles only: the k / 10^decimals form; -1 for integers.
    private readonly int _decimals;

    private PackedLongs(long[]? raw, int[]? packed, long @base, long step, int decimals)
    {
        _raw = raw;
        _packed = packed;
        _base = @base;
        _step = step;
        _decimals = decimals;
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => _raw is not null ? _raw.Length * 8L : _packed!.Length * 4L;

    /// <summary>Packs the first <paramref name="n"/> values (<paramref name="isDouble"/>: each is a double's bits).</summary>
    public static PackedLongs Pack(long[] values, int n, bool isDouble) => Pack(values, 0, n, isDouble);

    /// <summary>Packs values [<paramref name="start"/>, + <paramref name="n"/>) (<paramref name="isDouble"/>: each is a double's bits).</summary>
    public static PackedLongs Pack(long[] values, int start, int n, bool isDouble)
    {
        var span = values.AsSpan(start, n);
        if (n == 0) { return new PackedLongs([], null, 0, 1, -1); }
        return isDouble ? PackDoubles(values, start, span) : PackIntegers(values, start, span);
    }

    private static PackedLongs PackIntegers(long[] values, int start, ReadOnlySpan<long> span)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (long v in span)
        {
            if (v < min) { min = v; }
            if (v > max) { max = v; }
        }
        ulong range = (ulong)(max - min);
        var packed = GC.AllocateUninitializedArray<int>(span.Length);
        if (range <= uint.MaxValue)
        {
            for (int i = 0; i < span.Length; i++) { packed[i] = (int)(uint)(ulong)(span[i] - min); }
            return new PackedLongs(null, packed, min, 1, -1);
        }
        if (range / 1_000_000 <= uint.MaxValue && Stepped(span, min, packed, 1_000_000)) { return new PackedLongs(null, packed, min, 1_000_000, -1); }
        if (range / 1000 <= uint.MaxValue && Stepped(span, min, packed, 1000)) { return new PackedLongs(null, packed, min, 1000, -1); }
        if (Ascending(span, packed)) { return new PackedLongs(null, packed, span[0], Deltas, -1); }
        return Raw(values, start, span.Length);
    }

    // Values in ascending order with no gap of 2^32 or more (a day of microsecond times from a time-ordered source)
    // keep each one's distance from the one before it.
    private static bool Ascending(ReadOnlySpan<long> span, int[] packed)
    {
        packed[0] = 0;
        for (int i = 1; i < span.Length; i++)
        {
            ulong d = (ulong)(span[i] - span[i - 1]);
            if (d > uint.MaxValue) { return false; }
            packed[i] = (int)(uint)d;
        }
        return true;
    }

    // Literal divisors, so each division compiles to a multiply.
    private static bool Stepped(ReadOnlySpan<long> span, long min, int[] packed, long step) =>
        step == 1_000_000 ? Millions(span, min, packed) : Thousands(span, min, packed);

    private static bool Millions(ReadOnlySpan<long> span, long min, int[] packed)
    {
        for (int i = 0; i < span.Length; i++)
        {
            ulong d = (ulong)(span[i] - min);
            ulong q = d / 1_000_000;
            if (q * 1_000_000 != d) { return false; }
            packed[i] = (int)(uint)q;
        }
        return true;
    }

    private static bool Thousands(ReadOnlySpan<long> span, long min, int[] packed)
    {
        for (int i = 0; i < span.Length; i++)
        {
            ulong d = (ulong)(span[i] - min);
            ulong q = d / 1000;
            if (q * 1000 != d) { return false; }
            packed[i] = (int)(uint)q;
        }
        return true;
    }

    private static PackedLongs PackDoubles(long[] values, int start, ReadOnlySpan<long> span)
    {
        // The fewest decimals that hold every value, in one pass: if v == k / 10^d then v == 10k / 10^(d+1) too (both
        // quotients are the correctly rounded value of the same rational), so when a value needs more decimals the
        // ones before it are rescaled.
        int d = 0;
        double p = 1;
        var packed = GC.AllocateUninitializedArray<int>(span.Length);
        for (int i = 0; i < span.Length; i++)
        {
            long bits = span[i];
            double k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            while (!(k >= int.MinValue && k <= int.MaxValue) || BitConverter.DoubleToInt64Bits((int)k / p) != bits)
            {
                if (d == MaxDecimals || !Rescale(packed.AsSpan(0, i))) { return Raw(values, start, span.Length); }
                p = Powers[++d];
                k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            }
            packed[i] = (int)k;
        }
        return new PackedLongs(null, packed, 0, 1, d);
    }

    // Multiplies by 10 in place; false when a value would leave the Int32 range.
    private static bool Rescale(Span<int> packed)
    {
        foreach (int k in packed)
        {
            if (k > int.MaxValue / 10 || k < int.MinValue / 10) { return false; }
        }
        for (int i = 0; i < packed.Length; i++) { packed[i] *= 10; }
        return true;
    }

    // The values as they are: the array itself when it is exactly them (a filing buffer is not), else a copy.
    private static PackedLongs Raw(long[] values, int start, int n) =>
        new(start == 0 && values.Length == n ? values : values.AsSpan(start, n).ToArray(), null, 0, 1, -1);

    /// <summary>Writes the values back, bit for bit, into <paramref name="destination"/>.</summary>
    public void UnpackTo(Span<long> destination)
    {
        if (_raw is not null)
        {
            _raw.CopyTo(destination);
            return;
        }
        var packed = _packed!;
        destination = destination[..packed.Length];
        if (_decimals >= 0)
        {
            double p = Powers[_decimals];
            for (int i = 0; i < packed.Length; i++) { destination[i] = BitConverter.DoubleToInt64Bits(packed[i] / p); }
        }
        else
        {
            long b = _base, step = _step;
            if (step == Deltas)
            {
                for (int i = 0; i < packed.Length; i++)
                {
                    b += (uint)packed[i];
                    destination[i] = b;
                }
                return;
            }
            for (int i = 0; i < packed.Length; i++) { destination[i] = b + ((long)(uint)packed[i] * step); }
        }
    }
}
