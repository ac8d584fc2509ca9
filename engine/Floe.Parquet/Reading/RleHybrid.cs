using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Floe.Parquet.Reading;

/// <summary>Decoder of Parquet's RLE / bit-packing hybrid encoding (levels and dictionary indices).</summary>
internal static class RleHybrid
{
    /// <summary>Fills <paramref name="target"/> with values of <paramref name="bitWidth"/> bits.</summary>
    public static void Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> target)
    {
        if (bitWidth is < 0 or > 32) throw new InvalidDataException($"RLE bit width {bitWidth} out of range");
        var position = 0;
        var written = 0;
        var byteWidth = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        while (written < target.Length)
        {
            if (position >= data.Length) throw new InvalidDataException("RLE data ends early");
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                var count = (int)(header >> 1);
                var value = 0;
                for (var b = 0; b < byteWidth; b++) value |= data[position + b] << (8 * b);
                position += byteWidth;
                var n = Math.Min(count, target.Length - written);
                target.Slice(written, n).Fill(value);
                written += n;
            }
            else
            {
                var groups = (int)(header >> 1);
                var values = Math.Min(groups * 8, target.Length - written);
                var runBytes = groups * bitWidth;
                if (bitWidth == 0)
                {
                    target.Slice(written, values).Clear();
                    written += values;
                    position += runBytes;
                    continue;
                }
                var run = data.Slice(position, Math.Min(runBytes, data.Length - position));
                long bitPosition = 0;
                var i = 0;
                // Fast path: value i's 8-byte window starts at byte i·bitWidth/8, inside the run while that is at most
                // run.Length - 8; a value (≤ 32 bits at shift ≤ 7) fits in one window. Unaligned reads off the run's
                // first byte, no slicing per value: this loop is most of a dictionary-encoded column's decode.
                var safe = run.Length >= 8 ? (int)Math.Min(values, (long)(run.Length - 8) * 8 / bitWidth + 1) : 0;
                ref var source = ref MemoryMarshal.GetReference(run);
                ref var destination = ref MemoryMarshal.GetReference(target.Slice(written, values));
                for (; i < safe; i++, bitPosition += bitWidth)
                {
                    var window = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)(bitPosition >> 3)));
                    Unsafe.Add(ref destination, i) = (int)((window >> (int)(bitPosition & 7)) & mask);
                }
                for (; i < values; i++, bitPosition += bitWidth)
                {
                    ulong window = 0;
                    var start = (int)(bitPosition >> 3);
                    for (var b = 0; b < 8 && start + b < run.Length; b++) window |= (ulong)run[start + b] << (8 * b);
                    target[written + i] = (int)((window >> (int)(bitPosition & 7)) & mask);
                }
                written += values;
                position += runBytes;
            }
        }
    }

    /// <summary>
    /// Decodes only the values at <paramref name="positions"/> (ascending) of the stream into the same slots of
    /// <paramref name="target"/>: runs before, between and after them are stepped over by their headers, bit-packed
    /// values are read where they sit. A selective read's dictionary indices: a few rows of a page, not all of it.
    /// </summary>
    public static void DecodeAt(ReadOnlySpan<byte> data, int bitWidth, ReadOnlySpan<int> positions, Span<int> target)
    {
        if (bitWidth is < 0 or > 32) throw new InvalidDataException($"RLE bit width {bitWidth} out of range");
        var byteWidth = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        var position = 0;
        long runStart = 0;
        var k = 0;
        while (k < positions.Length)
        {
            if (position >= data.Length) throw new InvalidDataException("RLE data ends early");
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                var runEnd = runStart + (long)(header >> 1);
                if (position + byteWidth > data.Length) throw new InvalidDataException("RLE data ends early");
                var value = 0;
                for (var b = 0; b < byteWidth; b++) value |= data[position + b] << (8 * b);
                position += byteWidth;
                for (; k < positions.Length && positions[k] < runEnd; k++) target[k] = value;
                runStart = runEnd;
            }
            else
            {
                var groups = (long)(header >> 1);
                var runEnd = runStart + groups * 8;
                var runBytes = (int)Math.Min(groups * bitWidth, data.Length - position);
                var run = data.Slice(position, runBytes);
                for (; k < positions.Length && positions[k] < runEnd; k++)
                {
                    var bit = (positions[k] - runStart) * bitWidth;
                    var at = (int)(bit >> 3);
                    ulong window;
                    if (at + 8 <= run.Length)
                    {
                        window = BinaryPrimitives.ReadUInt64LittleEndian(run[at..]);
                    }
                    else
                    {
                        window = 0;
                        for (var b = 0; b < 8 && at + b < run.Length; b++) window |= (ulong)run[at + b] << (8 * b);
                    }
                    target[k] = (int)((window >> (int)(bit & 7)) & mask);
                }
                position += runBytes;
                runStart = runEnd;
            }
        }
    }

    /// <summary>
    /// Decodes <paramref name="count"/> 1-bit values (an optional flat column's definition levels) straight into a
    /// bitmap, bit i set where value i is 1, bits from <paramref name="count"/> on left clear: runs become word fills
    /// and bit-packed runs are already the bitmap's layout, so no value is expanded to an int.
    /// </summary>
    public static void DecodeBits(ReadOnlySpan<byte> data, int count, Span<ulong> bits)
    {
        bits[..((count + 63) >> 6)].Clear();
        var position = 0;
        var written = 0;
        while (written < count)
        {
            if (position >= data.Length) throw new InvalidDataException("RLE data ends early");
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                var n = (int)Math.Min(header >> 1, (ulong)(count - written));
                if (position >= data.Length) throw new InvalidDataException("RLE data ends early");
                if (data[position++] == 1) SetRange(bits, written, n);
                written += n;
                continue;
            }
            var groups = (long)(header >> 1);
            var values = (int)Math.Min(groups * 8, count - written);
            var run = data.Slice(position, (int)Math.Min(groups, data.Length - position));
            for (var i = 0; i < values; i += 64)
            {
                var take = Math.Min(64, values - i);
                var at = i >> 3;
                ulong x;
                if (at + 8 <= run.Length)
                {
                    x = BinaryPrimitives.ReadUInt64LittleEndian(run[at..]);
                }
                else
                {
                    x = 0;
                    for (var b = 0; at + b < run.Length && b < 8; b++) x |= (ulong)run[at + b] << (8 * b);
                }
                if (take < 64) x &= (1UL << take) - 1;
                var bit = written + i;
                var word = bit >> 6;
                var shift = bit & 63;
                bits[word] |= x << shift;
                if (shift != 0 && shift + take > 64) bits[word + 1] |= x >> (64 - shift);
            }
            written += values;
            position += (int)Math.Min(groups, data.Length - position);
        }
    }

    /// <summary>
    /// Decodes <paramref name="count"/> dictionary indices of <paramref name="bitWidth"/> bits straight into a bitmap:
    /// bit i is set where index i's entry in <paramref name="match"/> is non-zero; bits from count on are left clear.
    /// A dictionary predicate's selection: RLE runs become word fills, and no index is stored as an int.
    /// </summary>
    public static void DecodeMatches(ReadOnlySpan<byte> data, int bitWidth, int count, ReadOnlySpan<byte> match, Span<ulong> bits)
    {
        if (bitWidth is < 0 or > 32) throw new InvalidDataException($"RLE bit width {bitWidth} out of range");
        bits[..((count + 63) >> 6)].Clear();
        var byteWidth = (bitWidth + 7) / 8;
        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        var entries = (uint)match.Length;
        var position = 0;
        var written = 0;
        while (written < count)
        {
            if (position >= data.Length) throw new InvalidDataException("RLE data ends early");
            var header = ReadVarint(data, ref position);
            if ((header & 1) == 0)
            {
                var n = (int)Math.Min(header >> 1, (ulong)(count - written));
                if (position + byteWidth > data.Length) throw new InvalidDataException("RLE data ends early");
                uint value = 0;
                for (var b = 0; b < byteWidth; b++) value |= (uint)data[position + b] << (8 * b);
                position += byteWidth;
                if (value >= entries) throw new InvalidDataException($"dictionary index {value} out of range");
                if (match[(int)value] != 0) SetRange(bits, written, n);
                written += n;
                continue;
            }
            var groups = (long)(header >> 1);
            var values = (int)Math.Min(groups * 8, count - written);
            var runBytes = (int)Math.Min(groups * bitWidth, data.Length - position);
            var run = data.Slice(position, runBytes);
            long bitPosition = 0;
            var i = 0;
            // Same 8-byte window trick as Decode; each index looks its entry up, and the verdicts gather in a register
            // word stored once per 64 rows (an OR into the bitmap per index chained every index through memory).
            var safe = run.Length >= 8 && bitWidth > 0 ? (int)Math.Min(values, (long)(run.Length - 8) * 8 / bitWidth + 1) : 0;
            ref var source = ref MemoryMarshal.GetReference(run);
            ref var verdicts = ref MemoryMarshal.GetReference(match);
            var next = written;
            ulong word = 0;
            for (; i < safe; i++, bitPosition += bitWidth)
            {
                var window = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, (nint)(bitPosition >> 3)));
                var index = (uint)((window >> (int)(bitPosition & 7)) & mask);
                if (index >= entries) throw new InvalidDataException($"dictionary index {index} out of range");
                var row = written + i;
                word |= (ulong)Unsafe.Add(ref verdicts, (nint)index) << (row & 63);
                if ((row & 63) == 63)
                {
                    bits[row >> 6] |= word;
                    word = 0;
                    next = row + 1;
                }
            }
            if (i > 0 && next < written + i) bits[next >> 6] |= word;
            for (; i < values; i++, bitPosition += bitWidth)
            {
                ulong window = 0;
                var start = (int)(bitPosition >> 3);
                for (var b = 0; b < 8 && start + b < run.Length; b++) window |= (ulong)run[start + b] << (8 * b);
                var index = bitWidth == 0 ? 0u : (uint)((window >> (int)(bitPosition & 7)) & mask);
                if (index >= entries) throw new InvalidDataException($"dictionary index {index} out of range");
                var row = written + i;
                bits[row >> 6] |= (ulong)match[(int)index] << (row & 63);
            }
            written += values;
            position += runBytes;
        }
    }

    /// <summary>Sets bits [<paramref name="start"/>, start + <paramref name="length"/>).</summary>
    internal static void SetRange(Span<ulong> bits, int start, int length)
    {
        if (length <= 0) return;
        var end = start + length;
        var first = start >> 6;
        var last = (end - 1) >> 6;
        var head = ulong.MaxValue << (start & 63);
        var tail = (end & 63) == 0 ? ulong.MaxValue : (1UL << (end & 63)) - 1;
        if (first == last)
        {
            bits[first] |= head & tail;
            return;
        }
        bits[first] |= head;
        bits.Slice(first + 1, last - first - 1).Fill(ulong.MaxValue);
        bits[last] |= tail;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("varint too long");
    }
}
