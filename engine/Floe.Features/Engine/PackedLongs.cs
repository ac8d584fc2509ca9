using System.Numerics;

namespace Floe.Features.Engine;

/// <summary>
/// A column of 64-bit values (event times, slot value bits) held in as few bits a value as the column's range needs
/// (at most 32), when that loses nothing, else as is. Integers whose range, in steps of the largest of 10^6, 10^3 or 1
/// that divides every distance from the minimum, spans under 2^32 keep that distance (a day of whole-millisecond or
/// whole-second times does); else, ascending integers whose gaps are all under 2^32 keep each gap (a day of
/// microsecond times from a time-ordered source); doubles that are exactly k / 10^d for an Int32 k and d ≤ 4 keep k's
/// distance from the smallest k (prices, amounts). Those distances are then bit-packed at the width of the largest:
/// the 7-day bench set's filed events keep a time gap in ~20 bits and an amount in ~15, not 32 each. Unpacking gives
/// back the same bits, which the packer checks value by value.
/// </summary>
internal sealed class PackedLongs
{
    private const int MaxDecimals = 4;
    // The step that marks distances from the previous value rather than from the base.
    private const long Deltas = 0;
    private static readonly double[] Powers = [1, 10, 100, 1000, 10000];

    private readonly long[]? _raw;
    // Bit-packed distances, _width bits each, lowest bits first, with a spare word at the end so that every value can
    // be read from two words.
    private readonly ulong[]? _words;
    private readonly int _width;
    private readonly int _count;
    private readonly long _base;
    private readonly long _step;
    // Doubles only: the k / 10^decimals form (k = base + distance); -1 for integers.
    private readonly int _decimals;

    private PackedLongs(long[] raw)
    {
        _raw = raw;
        _count = raw.Length;
        _step = 1;
        _decimals = -1;
    }

    private PackedLongs(ulong[] words, int width, int count, long @base, long step, int decimals)
    {
        _words = words;
        _width = width;
        _count = count;
        _base = @base;
        _step = step;
        _decimals = decimals;
    }

    /// <summary>Bytes held.</summary>
    public long Bytes => _raw is not null ? _raw.Length * 8L : _words!.Length * 8L;

    /// <summary>Bits a value is held in: 64 when it did not pack.</summary>
    public int BitsPerValue => _raw is not null ? 64 : _width;

    /// <summary>Packs the first <paramref name="n"/> values (<paramref name="isDouble"/>: each is a double's bits).</summary>
    public static PackedLongs Pack(long[] values, int n, bool isDouble) => Pack(values, 0, n, isDouble);

    /// <summary>Packs values [<paramref name="start"/>, + <paramref name="n"/>) (<paramref name="isDouble"/>: each is a double's bits).</summary>
    public static PackedLongs Pack(long[] values, int start, int n, bool isDouble)
    {
        var span = values.AsSpan(start, n);
        if (n == 0) { return new PackedLongs([], 0, 0, 0, 1, -1); }
        return (isDouble ? PackDoubles(span) : PackIntegers(span)) ?? Raw(values, start, n);
    }

    private static PackedLongs? PackIntegers(ReadOnlySpan<long> span)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (long v in span)
        {
            if (v < min) { min = v; }
            if (v > max) { max = v; }
        }
        ulong range = (ulong)(max - min);
        if (range <= uint.MaxValue)
        {
            var words = Words(span.Length, Width(range));
            var writer = new BitWriter(words, Width(range));
            foreach (long v in span) { writer.Put((ulong)(v - min)); }
            writer.Flush();
            return new PackedLongs(words, Width(range), span.Length, min, 1, -1);
        }
        if (range / 1_000_000 <= uint.MaxValue && Stepped(span, min, range / 1_000_000, 1_000_000) is { } millions) { return millions; }
        if (range / 1000 <= uint.MaxValue && Stepped(span, min, range / 1000, 1000) is { } thousands) { return thousands; }
        return Ascending(span);
    }

    // Values in ascending order with no gap of 2^32 or more (a day of microsecond times from a time-ordered source)
    // keep each one's distance from the one before it.
    private static PackedLongs? Ascending(ReadOnlySpan<long> span)
    {
        ulong widest = 0;
        for (int i = 1; i < span.Length; i++)
        {
            ulong d = (ulong)(span[i] - span[i - 1]);
            if (d > uint.MaxValue) { return null; }
            widest |= d;
        }
        int width = Width(widest);
        var words = Words(span.Length, width);
        var writer = new BitWriter(words, width);
        writer.Put(0);
        for (int i = 1; i < span.Length; i++) { writer.Put((ulong)(span[i] - span[i - 1])); }
        writer.Flush();
        return new PackedLongs(words, width, span.Length, span[0], Deltas, -1);
    }

    // Distances from the minimum in whole steps (literal divisors, so each division compiles to a multiply); null when
    // one is not whole.
    private static PackedLongs? Stepped(ReadOnlySpan<long> span, long min, ulong steps, long step)
    {
        int width = Width(steps);
        var words = Words(span.Length, width);
        var writer = new BitWriter(words, width);
        foreach (long v in span)
        {
            ulong d = (ulong)(v - min);
            ulong q = step == 1_000_000 ? d / 1_000_000 : d / 1000;
            if (q * (ulong)step != d) { return null; }
            writer.Put(q);
        }
        writer.Flush();
        return new PackedLongs(words, width, span.Length, min, step, -1);
    }

    private static PackedLongs? PackDoubles(ReadOnlySpan<long> span)
    {
        // The fewest decimals that hold every value, in one pass: if v == k / 10^d then v == 10k / 10^(d+1) too (both
        // quotients are the correctly rounded value of the same rational), so when a value needs more decimals the
        // range of the ones before it is scaled by ten.
        int d = 0;
        double p = 1;
        long minK = long.MaxValue, maxK = long.MinValue;
        foreach (long bits in span)
        {
            double k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            while (!(k >= int.MinValue && k <= int.MaxValue) || BitConverter.DoubleToInt64Bits((int)k / p) != bits)
            {
                if (d == MaxDecimals) { return null; }
                if (minK <= maxK)
                {
                    minK *= 10;
                    maxK *= 10;
                    if (minK < int.MinValue || maxK > int.MaxValue) { return null; }
                }
                p = Powers[++d];
                k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            }
            minK = Math.Min(minK, (long)k);
            maxK = Math.Max(maxK, (long)k);
        }
        int width = Width((ulong)(maxK - minK));
        var words = Words(span.Length, width);
        var writer = new BitWriter(words, width);
        foreach (long bits in span)
        {
            // At the final decimals every value's k is exact; checked again, since the bits kept must give it back.
            double k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            if (!(k >= minK && k <= maxK) || BitConverter.DoubleToInt64Bits((int)k / p) != bits) { return null; }
            writer.Put((ulong)((long)k - minK));
        }
        writer.Flush();
        return new PackedLongs(words, width, span.Length, minK, 1, d);
    }

    // The values as they are: the array itself when it is exactly them (a filing buffer is not), else a copy.
    private static PackedLongs Raw(long[] values, int start, int n) =>
        new(start == 0 && values.Length == n ? values : values.AsSpan(start, n).ToArray());

    private static int Width(ulong largest) => 64 - BitOperations.LeadingZeroCount(largest);

    // The values' words and a spare one (so every value is read from two words; two at least, for width 0).
    private static ulong[] Words(int count, int width) => new ulong[Math.Max(2, (((long)count * width) + 63 >> 6) + 1)];

    /// <summary>Writes the values back, bit for bit, into <paramref name="destination"/>.</summary>
    public void UnpackTo(Span<long> destination)
    {
        if (_raw is not null)
        {
            _raw.CopyTo(destination);
            return;
        }
        destination = destination[.._count];
        var words = _words!;
        int width = _width;
        ulong mask = width == 0 ? 0 : ulong.MaxValue >> (64 - width);
        long b = _base;
        if (_decimals >= 0)
        {
            double p = Powers[_decimals];
            for (int i = 0; i < destination.Length; i++) { destination[i] = BitConverter.DoubleToInt64Bits((int)(b + (long)Read(words, i, width, mask)) / p); }
        }
        else if (_step == Deltas)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                b += (long)Read(words, i, width, mask);
                destination[i] = b;
            }
        }
        else
        {
            long step = _step;
            for (int i = 0; i < destination.Length; i++) { destination[i] = b + ((long)Read(words, i, width, mask) * step); }
        }
    }

    // Value i: its bits from the word it starts in and the next (the spare last word makes that safe; shifting the next
    // word by one and then by 63 - shift never shifts by 64, which C# would take as 0).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static ulong Read(ulong[] words, int i, int width, ulong mask)
    {
        long bit = (long)i * width;
        int w = (int)(bit >> 6);
        int shift = (int)(bit & 63);
        return ((words[w] >> shift) | ((words[w + 1] << 1) << (63 - shift))) & mask;
    }

    // Appends values of a fixed width to zeroed words, a word at a time.
    private ref struct BitWriter(ulong[] words, int width)
    {
        private readonly ulong[] _words = words;
        private readonly int _width = width;
        private ulong _pending;
        private int _filled;
        private int _at;

        public void Put(ulong value)
        {
            _pending |= value << _filled;
            _filled += _width;
            if (_filled >= 64)
            {
                _words[_at++] = _pending;
                _filled -= 64;
                // The value's bits that did not fit (none when it ended the word exactly: a shift by 64 is not 0 in C#).
                _pending = _filled == 0 ? 0 : value >> (_width - _filled);
            }
        }

        public void Flush()
        {
            if (_filled > 0) { _words[_at] = _pending; }
        }
    }
}
