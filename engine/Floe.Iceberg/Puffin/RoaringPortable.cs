using System.Buffers.Binary;

namespace Floe.Iceberg.Puffin;

/// <summary>
/// The portable Roaring serialization (CRoaring/RoaringBitmap interchange format) in its 64-bit form: a
/// little-endian count of 32-bit bitmaps, each preceded by its 4-byte high key.
/// </summary>
internal static class RoaringPortable
{
    private const int SerialCookieNoRun = 12346;
    private const int SerialCookie = 12347;
    private const int NoOffsetThreshold = 4;
    private const int ArrayMax = 4096;

    public static void Read64(ReadOnlySpan<byte> data, HashSet<long> into)
    {
        var count = BinaryPrimitives.ReadInt64LittleEndian(data);
        if (count < 0 || count > data.Length) throw new InvalidDataException($"bitmap count {count} is impossible");
        var offset = 8;
        for (long i = 0; i < count; i++)
        {
            var high = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) << 32;
            offset += 4;
            offset += Read32(data[offset..], high, into);
        }
    }

    /// <summary>Reads one 32-bit bitmap, adding <paramref name="high"/> to each value; returns bytes consumed.</summary>
    private static int Read32(ReadOnlySpan<byte> data, long high, HashSet<long> into)
    {
        var cookie = BinaryPrimitives.ReadUInt32LittleEndian(data);
        int size, pos;
        ReadOnlySpan<byte> runFlags = default;
        var hasRun = (cookie & 0xFFFF) == SerialCookie;
        if (hasRun)
        {
            size = (int)(cookie >> 16) + 1;
            runFlags = data.Slice(4, (size + 7) / 8);
            pos = 4 + runFlags.Length;
        }
        else if (cookie == SerialCookieNoRun)
        {
            size = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
            pos = 8;
        }
        else
        {
            throw new InvalidDataException($"unknown Roaring cookie {cookie}");
        }
        if (size < 0 || size > 65536) throw new InvalidDataException($"container count {size} is impossible");
        var header = pos;
        pos += 4 * size;
        if (!hasRun || size >= NoOffsetThreshold) pos += 4 * size;
        for (var c = 0; c < size; c++)
        {
            var key = (long)BinaryPrimitives.ReadUInt16LittleEndian(data[(header + 4 * c)..]) << 16;
            var cardinality = BinaryPrimitives.ReadUInt16LittleEndian(data[(header + 4 * c + 2)..]) + 1;
            var baseValue = high | key;
            if (hasRun && (runFlags[c / 8] & (1 << (c % 8))) != 0)
            {
                int runs = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
                pos += 2;
                for (var r = 0; r < runs; r++)
                {
                    int start = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
                    int extra = BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2)..]);
                    pos += 4;
                    for (var v = start; v <= start + extra; v++) into.Add(baseValue | (uint)v);
                }
            }
            else if (cardinality <= ArrayMax)
            {
                for (var v = 0; v < cardinality; v++) into.Add(baseValue | BinaryPrimitives.ReadUInt16LittleEndian(data[(pos + 2 * v)..]));
                pos += 2 * cardinality;
            }
            else
            {
                var words = data.Slice(pos, 8192);
                for (var w = 0; w < 1024; w++)
                {
                    var word = BinaryPrimitives.ReadUInt64LittleEndian(words[(8 * w)..]);
                    while (word != 0)
                    {
                        var bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                        into.Add(baseValue | (uint)(w * 64 + bit));
                        word &= word - 1;
                    }
                }
                pos += 8192;
            }
        }
        return pos;
    }

    /// <summary>Writes positions (non-negative) without run containers: array containers up to 4096 values, bitmaps above.</summary>
    public static byte[] Write64(IEnumerable<long> positions)
    {
        var sorted = positions.Distinct().OrderBy(p => p).ToArray();
        using var output = new MemoryStream();
        Span<byte> scratch = stackalloc byte[8];
        var groups = new List<(uint High, int Start, int End)>();
        for (var i = 0; i < sorted.Length;)
        {
            if (sorted[i] < 0) throw new ArgumentOutOfRangeException(nameof(positions), "deleted positions must not be negative");
            var high = (uint)(sorted[i] >> 32);
            var j = i;
            while (j < sorted.Length && (uint)(sorted[j] >> 32) == high) j++;
            groups.Add((high, i, j));
            i = j;
        }
        BinaryPrimitives.WriteInt64LittleEndian(scratch, groups.Count);
        output.Write(scratch);
        foreach (var (high, start, end) in groups)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(scratch, high);
            output.Write(scratch[..4]);
            Write32(output, sorted.AsSpan(start, end - start));
        }
        return output.ToArray();
    }

    private static void Write32(MemoryStream output, ReadOnlySpan<long> values)
    {
        var containers = new List<(ushort Key, int Start, int End)>();
        for (var i = 0; i < values.Length;)
        {
            var key = (ushort)((values[i] >> 16) & 0xFFFF);
            var j = i;
            while (j < values.Length && (ushort)((values[j] >> 16) & 0xFFFF) == key) j++;
            containers.Add((key, i, j));
            i = j;
        }
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, SerialCookieNoRun);
        output.Write(b);
        BinaryPrimitives.WriteInt32LittleEndian(b, containers.Count);
        output.Write(b);
        foreach (var (key, start, end) in containers)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, key);
            BinaryPrimitives.WriteUInt16LittleEndian(b[2..], (ushort)(end - start - 1));
            output.Write(b);
        }
        // Offsets are relative to the start of this 32-bit bitmap: cookie, size, descriptive and offset headers come first.
        var dataPos = 8 + 8 * containers.Count;
        foreach (var (_, start, end) in containers)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b, dataPos);
            output.Write(b);
            var n = end - start;
            dataPos += n <= ArrayMax ? 2 * n : 8192;
        }
        foreach (var (_, start, end) in containers)
        {
            var n = end - start;
            if (n <= ArrayMax)
            {
                for (var i = start; i < end; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(values[i] & 0xFFFF));
                    output.Write(b[..2]);
                }
            }
            else
            {
                var words = new byte[8192];
                for (var i = start; i < end; i++)
                {
                    var low = (int)(values[i] & 0xFFFF);
                    words[low >> 3] |= (byte)(1 << (low & 7));
                }
                output.Write(words);
            }
        }
    }
}
