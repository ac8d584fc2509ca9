namespace Floe.Iceberg.Parquet.Reading;

/// <summary>Decoder of Parquet's RLE / bit-packing hybrid encoding (levels and dictionary indices).</summary>
internal static class RleHybrid
{
    /// <summary>Fills <paramref name="target"/> with values of <paramref name="bitWidth"/> bits.</summary>
    public static void Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> target)
    {
        var position = 0;
        var written = 0;
        var byteWidth = (bitWidth + 7) / 8;
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
                var values = (int)(header >> 1) * 8;
                var bitPosition = position * 8L;
                for (var i = 0; i < values && written < target.Length; i++)
                {
                    var value = 0;
                    for (var bit = 0; bit < bitWidth; bit++, bitPosition++)
                    {
                        if ((data[(int)(bitPosition >> 3)] & (1 << (int)(bitPosition & 7))) != 0) value |= 1 << bit;
                    }
                    target[written++] = value;
                }
                position += (int)(header >> 1) * bitWidth;
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
