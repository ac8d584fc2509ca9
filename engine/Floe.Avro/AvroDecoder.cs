using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Floe.Core.Errors;

namespace Floe.Avro;

/// <summary>
/// Avro binary decoding over a byte range. Every read is bounds-checked; running past the range or meeting an
/// impossible value throws <see cref="FloeException"/> (InvalidData) naming the file, the block and the offset.
/// </summary>
public sealed class AvroDecoder
{
    private byte[] _buffer = Array.Empty<byte>();
    private int _position;
    private int _start;
    private int _end;

    /// <summary>Creates a decoder; <paramref name="location"/> names the file in errors.</summary>
    public AvroDecoder(string location) => Location = location;

    /// <summary>The file being read (for error messages).</summary>
    public string Location { get; }

    /// <summary>Human-readable position of the range being read (<c>header</c>, <c>block 3 at file offset 812</c>).</summary>
    public string Region { get; private set; } = "header";

    /// <summary>Offset within the current range.</summary>
    public int Offset => _position - _start;

    /// <summary>Bytes left in the current range.</summary>
    public int Remaining => _end - _position;

    /// <summary>Points the decoder at <paramref name="buffer"/>[start..end).</summary>
    public void Reset(byte[] buffer, int start, int end, string region)
    {
        _buffer = buffer;
        _position = start;
        _start = start;
        _end = end;
        Region = region;
    }

    /// <summary>Reads a boolean (one byte, 0 or 1).</summary>
    public bool ReadBoolean()
    {
        if (_position >= _end) throw Truncated(1);
        var b = _buffer[_position++];
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw Corrupt($"invalid boolean byte {b}"),
        };
    }

    /// <summary>Reads an int; a varint outside the 32-bit range is corrupt.</summary>
    public int ReadInt()
    {
        var value = ReadLong();
        if (value is < int.MinValue or > int.MaxValue) throw Corrupt($"int value {value} out of range");
        return (int)value;
    }

    /// <summary>Reads a long (zigzag varint of at most 10 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadLong()
    {
        var pos = _position;
        if (pos < _end)
        {
            var b = _buffer[pos];
            if (b < 0x80)
            {
                _position = pos + 1;
                return (b >> 1) ^ -(b & 1);
            }
        }
        return ReadLongSlow();
    }

    private long ReadLongSlow()
    {
        ulong result = 0;
        var shift = 0;
        var pos = _position;
        var buffer = _buffer;
        while (true)
        {
            if (pos >= _end) throw Truncated(1);
            var b = buffer[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
            shift += 7;
            if (shift > 63) throw Corrupt("varint longer than 10 bytes");
        }
        _position = pos;
        return (long)(result >> 1) ^ -(long)(result & 1);
    }

    /// <summary>Reads a float.</summary>
    public float ReadFloat()
    {
        if (_end - _position < 4) throw Truncated(4);
        var value = BinaryPrimitives.ReadSingleLittleEndian(_buffer.AsSpan(_position, 4));
        _position += 4;
        return value;
    }

    /// <summary>Reads a double.</summary>
    public double ReadDouble()
    {
        if (_end - _position < 8) throw Truncated(8);
        var value = BinaryPrimitives.ReadDoubleLittleEndian(_buffer.AsSpan(_position, 8));
        _position += 8;
        return value;
    }

    /// <summary>Reads bytes as a span over the decoder's buffer (valid until the next block).</summary>
    public ReadOnlySpan<byte> ReadBytesSpan()
    {
        var length = ReadLength();
        var span = _buffer.AsSpan(_position, length);
        _position += length;
        return span;
    }

    /// <summary>Reads bytes into a new array.</summary>
    public byte[] ReadBytes() => ReadBytesSpan().ToArray();

    /// <summary>Reads a UTF-8 string.</summary>
    public string ReadString()
    {
        var length = ReadLength();
        string value;
        try
        {
            value = length == 0 ? string.Empty : StrictUtf8.GetString(_buffer, _position, length);
        }
        catch (DecoderFallbackException e)
        {
            throw Corrupt($"string is not valid UTF-8 ({e.Message})");
        }
        _position += length;
        return value;
    }

    /// <summary>Reads <paramref name="size"/> raw bytes (a fixed value) as a span.</summary>
    public ReadOnlySpan<byte> ReadFixedSpan(int size)
    {
        if (_end - _position < size) throw Truncated(size);
        var span = _buffer.AsSpan(_position, size);
        _position += size;
        return span;
    }

    /// <summary>Reads a union branch index and checks it against the branch count.</summary>
    public int ReadUnionIndex(int branchCount)
    {
        var index = ReadLong();
        if ((ulong)index >= (ulong)branchCount) throw Corrupt($"union branch {index} out of range (union has {branchCount})");
        return (int)index;
    }

    /// <summary>
    /// Reads the item count of the next array/map block (0 = end). A negative count is followed by the block's
    /// byte size, which is read and ignored.
    /// </summary>
    public long ReadBlockCount()
    {
        var count = ReadLong();
        if (count < 0)
        {
            if (count == long.MinValue) throw Corrupt("invalid block count");
            count = -count;
            var size = ReadLong();
            if (size < 0) throw Corrupt($"negative block size {size}");
        }
        // Items may take zero bytes (nulls), so the count cannot be checked against the bytes left; only reject
        // counts no collection could hold.
        if (count > int.MaxValue) throw Corrupt($"block count {count} too large");
        return count;
    }

    /// <summary>Skips a value of <paramref name="schema"/>.</summary>
    public void Skip(AvroSchema schema)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                return;
            case AvroType.Boolean:
                ReadFixedSpan(1);
                return;
            case AvroType.Int:
            case AvroType.Long:
            case AvroType.Enum:
                ReadLong();
                return;
            case AvroType.Float:
                ReadFixedSpan(4);
                return;
            case AvroType.Double:
                ReadFixedSpan(8);
                return;
            case AvroType.Bytes:
            case AvroType.String:
                ReadBytesSpan();
                return;
            case AvroType.Fixed:
                ReadFixedSpan(((AvroFixedSchema)schema).Size);
                return;
            case AvroType.Union:
                {
                    var union = (AvroUnionSchema)schema;
                    Skip(union.Branches[ReadUnionIndex(union.Branches.Count)]);
                    return;
                }
            case AvroType.Record:
                foreach (var field in ((AvroRecordSchema)schema).Fields) Skip(field.Schema);
                return;
            case AvroType.Array:
                {
                    var items = ((AvroArraySchema)schema).Items;
                    for (var n = ReadBlockCount(); n != 0; n = ReadBlockCount())
                    {
                        for (long i = 0; i < n; i++) Skip(items);
                    }
                    return;
                }
            case AvroType.Map:
                {
                    var values = ((AvroMapSchema)schema).Values;
                    for (var n = ReadBlockCount(); n != 0; n = ReadBlockCount())
                    {
                        for (long i = 0; i < n; i++)
                        {
                            ReadBytesSpan();
                            Skip(values);
                        }
                    }
                    return;
                }
        }
    }

    /// <summary>An InvalidData error at the current position.</summary>
    public FloeException Corrupt(string message) =>
        Errors.InvalidData(Location, $"corrupt Avro data in {Region}, byte {Offset}: {message}");

    private int ReadLength()
    {
        var length = ReadLong();
        if (length < 0) throw Corrupt($"negative length {length}");
        if (length > _end - _position) throw Truncated(length);
        return (int)length;
    }

    private FloeException Truncated(long needed) =>
        Errors.InvalidData(Location, $"truncated Avro data in {Region}, byte {Offset}: needed {needed} more byte(s), {_end - _position} left");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
