using System.Buffers.Binary;

namespace Floe.Avro;

/// <summary>
/// Decompressor for the raw snappy block format (a varint uncompressed length, then literal and copy elements),
/// enough to read Avro files written with <c>avro.codec = snappy</c> without a native or extra package.
/// </summary>
public static class SnappyDecompressor
{
    /// <summary>
    /// Decompresses <paramref name="input"/> into <paramref name="output"/> (grown as needed) and returns the
    /// uncompressed length, or an error message for malformed input.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> input, ref byte[] output, out string? error)
    {
        error = null;
        var pos = 0;
        ulong expected = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (pos >= input.Length || shift > 28)
            {
                error = "bad snappy length header";
                return 0;
            }
            var b = input[pos++];
            expected |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (expected > int.MaxValue)
        {
            error = "snappy length too large";
            return 0;
        }
        var length = (int)expected;
        if (output.Length < length) output = new byte[Math.Max(length, output.Length * 2)];
        var dst = output.AsSpan(0, length);
        var written = 0;
        while (pos < input.Length)
        {
            var tag = input[pos++];
            int count;
            int offset;
            switch (tag & 3)
            {
                case 0:
                    {
                        count = tag >> 2;
                        if (count >= 60)
                        {
                            var extra = count - 59;
                            if (pos + extra > input.Length)
                            {
                                error = "truncated snappy literal length";
                                return 0;
                            }
                            count = 0;
                            for (var i = 0; i < extra; i++) count |= input[pos + i] << (8 * i);
                            pos += extra;
                        }
                        count += 1;
                        if (count <= 0 || pos + count > input.Length || written + count > length)
                        {
                            error = "snappy literal runs past the block";
                            return 0;
                        }
                        input.Slice(pos, count).CopyTo(dst[written..]);
                        pos += count;
                        written += count;
                        continue;
                    }
                case 1:
                    if (pos >= input.Length)
                    {
                        error = "truncated snappy copy";
                        return 0;
                    }
                    count = 4 + ((tag >> 2) & 7);
                    offset = ((tag >> 5) << 8) | input[pos++];
                    break;
                case 2:
                    if (pos + 2 > input.Length)
                    {
                        error = "truncated snappy copy";
                        return 0;
                    }
                    count = (tag >> 2) + 1;
                    offset = BinaryPrimitives.ReadUInt16LittleEndian(input[pos..]);
                    pos += 2;
                    break;
                default:
                    if (pos + 4 > input.Length)
                    {
                        error = "truncated snappy copy";
                        return 0;
                    }
                    count = (tag >> 2) + 1;
                    var wide = BinaryPrimitives.ReadUInt32LittleEndian(input[pos..]);
                    pos += 4;
                    if (wide > int.MaxValue)
                    {
                        error = "snappy copy offset too large";
                        return 0;
                    }
                    offset = (int)wide;
                    break;
            }
            if (offset <= 0 || offset > written || written + count > length)
            {
                error = $"invalid snappy copy (offset {offset}, length {count}) at output byte {written}";
                return 0;
            }
            // Copies may overlap their own output (offset < count), so go byte by byte then.
            if (offset >= count)
            {
                dst.Slice(written - offset, count).CopyTo(dst[written..]);
            }
            else
            {
                for (var i = 0; i < count; i++) dst[written + i] = dst[written - offset + i];
            }
            written += count;
        }
        if (written != length)
        {
            error = $"snappy block decoded to {written} bytes, header says {length}";
            return 0;
        }
        return length;
    }
}
