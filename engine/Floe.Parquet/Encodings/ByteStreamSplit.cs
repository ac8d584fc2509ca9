namespace Floe.Parquet.Encodings;

/// <summary>
/// Parquet's BYTE_STREAM_SPLIT encoding of fixed-width values: byte k of every value goes to stream k, the streams
/// one after another. Nothing gets smaller by itself; the sign, exponent and high mantissa bytes of doubles from
/// one column are alike, so the streams holding them compress far better than interleaved values do.
/// </summary>
internal static class ByteStreamSplit
{
    /// <summary>Splits <paramref name="values"/> (whole values of <paramref name="width"/> bytes) into <paramref name="destination"/>, of the same length.</summary>
    public static void Encode(ReadOnlySpan<byte> values, int width, Span<byte> destination)
    {
        var n = values.Length / width;
        if (destination.Length < n * width) throw new ArgumentException("destination too short", nameof(destination));
        if (width == 8)
        {
            Split8(values, destination, n);
            return;
        }
        for (var k = 0; k < width; k++)
        {
            var stream = destination.Slice(k * n, n);
            for (var i = 0; i < n; i++) stream[i] = values[i * width + k];
        }
    }

    // Doubles and longs: one 8-byte load per value, eight byte stores; the common case, kept branch free.
    private static void Split8(ReadOnlySpan<byte> values, Span<byte> destination, int n)
    {
        var s0 = destination[..n];
        var s1 = destination.Slice(n, n);
        var s2 = destination.Slice(2 * n, n);
        var s3 = destination.Slice(3 * n, n);
        var s4 = destination.Slice(4 * n, n);
        var s5 = destination.Slice(5 * n, n);
        var s6 = destination.Slice(6 * n, n);
        var s7 = destination.Slice(7 * n, n);
        for (var i = 0; i < n; i++)
        {
            var w = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(values.Slice(i * 8, 8));
            s0[i] = (byte)w;
            s1[i] = (byte)(w >> 8);
            s2[i] = (byte)(w >> 16);
            s3[i] = (byte)(w >> 24);
            s4[i] = (byte)(w >> 32);
            s5[i] = (byte)(w >> 40);
            s6[i] = (byte)(w >> 48);
            s7[i] = (byte)(w >> 56);
        }
    }

    /// <summary>
    /// Joins <paramref name="count"/> values of <paramref name="width"/> bytes from the streams in
    /// <paramref name="data"/> into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The page holds fewer than count × width bytes.</exception>
    public static void Decode(ReadOnlySpan<byte> data, int width, int count, Span<byte> destination)
    {
        if ((long)count * width > data.Length) throw new InvalidDataException($"BYTE_STREAM_SPLIT page of {data.Length} bytes is shorter than its {count} values");
        if (width == 8)
        {
            var s0 = data[..count];
            var s1 = data.Slice(count, count);
            var s2 = data.Slice(2 * count, count);
            var s3 = data.Slice(3 * count, count);
            var s4 = data.Slice(4 * count, count);
            var s5 = data.Slice(5 * count, count);
            var s6 = data.Slice(6 * count, count);
            var s7 = data.Slice(7 * count, count);
            var output = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(destination[..(count * 8)]);
            for (var i = 0; i < count; i++)
            {
                var w = s0[i] | ((ulong)s1[i] << 8) | ((ulong)s2[i] << 16) | ((ulong)s3[i] << 24)
                    | ((ulong)s4[i] << 32) | ((ulong)s5[i] << 40) | ((ulong)s6[i] << 48) | ((ulong)s7[i] << 56);
                output[i] = BitConverter.IsLittleEndian ? w : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(w);
            }
            return;
        }
        for (var k = 0; k < width; k++)
        {
            var stream = data.Slice(k * count, count);
            for (var i = 0; i < count; i++) destination[i * width + k] = stream[i];
        }
    }
}
