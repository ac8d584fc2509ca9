using System.Buffers.Binary;

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
                // Fast path: whole 8-byte windows are available; a value (≤ 32 bits at shift ≤ 7) fits in one window.
                var safeEnd = run.Length - 8;
                for (; i < values && (bitPosition >> 3) <= safeEnd; i++, bitPosition += bitWidth)
                {
                    var window = BinaryPrimitives.ReadUInt64LittleEndian(run[(int)(bitPosition >> 3)..]);
                    target[written + i] = (int)((window >> (int)(bitPosition & 7)) & mask);
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
