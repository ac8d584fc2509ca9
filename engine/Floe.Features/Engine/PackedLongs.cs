using System.Numerics.Tensors;

namespace Floe.Features.Engine;

/// <summary>
/// A column of 64-bit values (event times, slot value bits) held in 32 bits a value, or as few as the column's range
/// needs, when that loses nothing, else as is. Integers whose range, in steps of the largest of 10^6, 10^3 or 1 that
/// divides every distance from the minimum, spans under 2^32 keep that distance (a day of whole-millisecond or
/// whole-second times does); else, ascending integers whose gaps are all under 2^32 keep each gap (a day of
/// microsecond times from a time-ordered source); doubles that are exactly k / 10^d for an Int32 k and d ≤ 4 keep k
/// (prices, amounts). Narrow packing bit-packs each at the width of its largest distance (<see cref="BitPacking"/>):
/// the 7-day bench set's filed events keep a time gap in ~20 bits and an amount in ~15 rather than 32, at a few more
/// instructions a value to pack and unpack. Unpacking gives back the same bits, which the packer checks value by
/// value.
/// </summary>
internal sealed class PackedLongs
{
    private const int MaxDecimals = 4;
    // The step that marks distances from the previous value rather than from the base.
    private const long Deltas = 0;
    private static readonly double[] Powers = [1, 10, 100, 1000, 10000];
    // An Int32's distance from Int32.MinValue is its bits plus this, wrapping.
    private const uint SignOffset = 0x8000_0000;

    private readonly long[]? _raw;
    // Distances, _width bits each (see BitPacking).
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
    public static PackedLongs Pack(long[] values, int n, bool isDouble, bool narrow = true) => Pack(values, 0, n, isDouble, narrow);

    /// <summary>
    /// Packs values [<paramref name="start"/>, + <paramref name="n"/>) (<paramref name="isDouble"/>: each is a
    /// double's bits); <paramref name="narrow"/>: in the bits their range needs rather than 32, and words under the
    /// large-object size on the pinned object heap. Narrow packing is for a large source (<see cref="Computation.DayFiler.NarrowFromEvents"/>), whose filed
    /// days wait through the first chunks' collections: a day's packed values are mostly under the large-object size
    /// (~33k events a day from a 1M-row batch over 30 days), so on the small-object heap they filled generation 2
    /// (~40-60 MB on the 10M-event bench), and as the days were computed and dropped the GC compacted it, copying the
    /// days still waiting: ~60 ms the first time (the post-read collection), ~10-13 ms each later time, every thread
    /// stopped. The pinned heap is swept, never compacted, as the large-object heap the larger filed arrays stay on
    /// (<see cref="BitPacking.Pinned"/>).
    /// </summary>
    public static PackedLongs Pack(long[] values, int start, int n, bool isDouble, bool narrow = true)
    {
        var span = values.AsSpan(start, n);
        if (n == 0) { return new PackedLongs([], 0, 0, 0, 1, -1); }
        return (isDouble ? PackDoubles(span, narrow) : PackIntegers(span, narrow)) ?? Raw(values, start, n);
    }

    private static int WidthOf(ulong largest, bool narrow) => narrow ? BitPacking.Width(largest) : 32;

    private static PackedLongs? PackIntegers(ReadOnlySpan<long> span, bool narrow)
    {
        long min = TensorPrimitives.Min(span);
        long max = TensorPrimitives.Max(span);
        ulong range = (ulong)(max - min);
        if (range <= uint.MaxValue)
        {
            int width = WidthOf(range, narrow);
            var words = BitPacking.Words(span.Length, width, narrow);
            var writer = new BitPacking.Writer(words, width);
            foreach (long v in span) { writer.Put((ulong)(v - min)); }
            writer.Flush();
            return new PackedLongs(words, width, span.Length, min, 1, -1);
        }
        if (range / 1_000_000 <= uint.MaxValue && Stepped(span, min, WidthOf(range / 1_000_000, narrow), 1_000_000, narrow) is { } millions) { return millions; }
        if (range / 1000 <= uint.MaxValue && Stepped(span, min, WidthOf(range / 1000, narrow), 1000, narrow) is { } thousands) { return thousands; }
        return Ascending(span, narrow);
    }

    // Values in ascending order with no gap of 2^32 or more (a day of microsecond times from a time-ordered source)
    // keep each one's distance from the one before it.
    private static PackedLongs? Ascending(ReadOnlySpan<long> span, bool narrow)
    {
        ulong widest = 0;
        for (int i = 1; i < span.Length; i++)
        {
            ulong d = (ulong)(span[i] - span[i - 1]);
            if (d > uint.MaxValue) { return null; }
            widest |= d;
        }
        int width = WidthOf(widest, narrow);
        var words = BitPacking.Words(span.Length, width, narrow);
        var writer = new BitPacking.Writer(words, width);
        writer.Put(0);
        for (int i = 1; i < span.Length; i++) { writer.Put((ulong)(span[i] - span[i - 1])); }
        writer.Flush();
        return new PackedLongs(words, width, span.Length, span[0], Deltas, -1);
    }

    // Distances from the minimum in whole steps of a million or a thousand (literal divisors, so each division
    // compiles to a multiply); null when one is not whole.
    private static PackedLongs? Stepped(ReadOnlySpan<long> span, long min, int width, long step, bool pinned)
    {
        var words = BitPacking.Words(span.Length, width, pinned);
        var writer = new BitPacking.Writer(words, width);
        if (step == 1_000_000)
        {
            foreach (long v in span)
            {
                ulong d = (ulong)(v - min);
                ulong q = d / 1_000_000;
                if (q * 1_000_000 != d) { return null; }
                writer.Put(q);
            }
        }
        else
        {
            foreach (long v in span)
            {
                ulong d = (ulong)(v - min);
                ulong q = d / 1000;
                if (q * 1000 != d) { return null; }
                writer.Put(q);
            }
        }
        writer.Flush();
        return new PackedLongs(words, width, span.Length, min, step, -1);
    }

    // Doubles that are exactly k / 10^d for the fewest decimals d that hold every value. If v == k / 10^d then
    // v == 10k / 10^(d+1) too (both quotients are the correctly rounded value of the same rational), so when a value
    // needs more decimals the ones before it are scaled by ten.
    private static PackedLongs? PackDoubles(ReadOnlySpan<long> span, bool narrow) => narrow ? NarrowDoubles(span) : WideDoubles(span);

    // Each k stored as it is found, as its distance from Int32.MinValue.
    private static PackedLongs? WideDoubles(ReadOnlySpan<long> span)
    {
        var words = BitPacking.Words(span.Length, 32);
        var stored = BitPacking.Halves(words)[..span.Length];
        int d = 0;
        double p = 1;
        for (int i = 0; i < span.Length; i++)
        {
            long bits = span[i];
            double k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            while (!(k >= int.MinValue && k <= int.MaxValue) || BitConverter.DoubleToInt64Bits((int)k / p) != bits)
            {
                if (d == MaxDecimals || !ScaleByTen(stored[..i])) { return null; }
                p = Powers[++d];
                k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            }
            stored[i] = (uint)(int)k + SignOffset;
        }
        return new PackedLongs(words, 32, span.Length, int.MinValue, 1, d);
    }

    // Multiplies each stored k (a distance from Int32.MinValue) by ten; false, changing nothing, when one would leave
    // the Int32 range.
    private static bool ScaleByTen(Span<uint> stored)
    {
        foreach (uint u in stored)
        {
            int k = (int)(u - SignOffset);
            if (k > int.MaxValue / 10 || k < int.MinValue / 10) { return false; }
        }
        for (int j = 0; j < stored.Length; j++) { stored[j] = (uint)((int)(stored[j] - SignOffset) * 10) + SignOffset; }
        return true;
    }

    // The decimals and the range of k in a first pass, then each k's distance from the smallest at the width of the range.
    private static PackedLongs? NarrowDoubles(ReadOnlySpan<long> span)
    {
        int d = 0;
        double p = 1;
        long minK = long.MaxValue, maxK = long.MinValue;
        for (int i = 0; i < span.Length; i++)
        {
            long bits = span[i];
            double k = Math.Round(BitConverter.Int64BitsToDouble(bits) * p);
            while (!(k >= int.MinValue && k <= int.MaxValue) || BitConverter.DoubleToInt64Bits((int)k / p) != bits)
            {
                if (d == MaxDecimals) { return null; }
                if (i > 0)
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
        ulong range = (ulong)(maxK - minK);
        int width = BitPacking.Width(range);
        var words = BitPacking.Words(span.Length, width, pinned: true);
        var writer = new BitPacking.Writer(words, width);
        foreach (long bits in span)
        {
            // Each value was checked at the decimals it needed, and its k at more decimals is that k times a power of
            // ten (see above), which rounding the scaled value gives back exactly: only the range is checked again.
            ulong distance = (ulong)((long)Math.Round(BitConverter.Int64BitsToDouble(bits) * p) - minK);
            if (distance > range) { return null; }
            writer.Put(distance);
        }
        writer.Flush();
        return new PackedLongs(words, width, span.Length, minK, 1, d);
    }

    // The values as they are: the array itself when it is exactly them (a filing buffer is not), else a copy.
    private static PackedLongs Raw(long[] values, int start, int n) =>
        new(start == 0 && values.Length == n ? values : values.AsSpan(start, n).ToArray());

    /// <summary>Writes the values back, bit for bit, into <paramref name="destination"/>.</summary>
    public void UnpackTo(Span<long> destination)
    {
        if (_raw is not null)
        {
            _raw.CopyTo(destination);
            return;
        }
        destination = destination[.._count];
        if (_width == 32)
        {
            UnpackHalves(BitPacking.Halves(_words!)[..destination.Length], destination);
            return;
        }
        ref byte bytes = ref BitPacking.Bytes(_words!);
        int width = _width;
        ulong mask = BitPacking.Mask(width);
        long bit = 0;
        long b = _base;
        if (_decimals >= 0)
        {
            double p = Powers[_decimals];
            for (int i = 0; i < destination.Length; i++, bit += width)
            {
                destination[i] = BitConverter.DoubleToInt64Bits((int)(b + (long)BitPacking.Read(ref bytes, bit, mask)) / p);
            }
        }
        else if (_step == Deltas)
        {
            for (int i = 0; i < destination.Length; i++, bit += width)
            {
                b += (long)BitPacking.Read(ref bytes, bit, mask);
                destination[i] = b;
            }
        }
        else
        {
            long step = _step;
            for (int i = 0; i < destination.Length; i++, bit += width) { destination[i] = b + ((long)BitPacking.Read(ref bytes, bit, mask) * step); }
        }
    }

    // The same for values stored in 32-bit halves.
    private void UnpackHalves(ReadOnlySpan<uint> halves, Span<long> destination)
    {
        long b = _base;
        if (_decimals >= 0)
        {
            double p = Powers[_decimals];
            for (int i = 0; i < halves.Length; i++) { destination[i] = BitConverter.DoubleToInt64Bits((int)(b + halves[i]) / p); }
        }
        else if (_step == Deltas)
        {
            for (int i = 0; i < halves.Length; i++)
            {
                b += halves[i];
                destination[i] = b;
            }
        }
        else
        {
            long step = _step;
            for (int i = 0; i < halves.Length; i++) { destination[i] = b + (halves[i] * step); }
        }
    }
}
