namespace Floe.Parquet.Thrift;

/// <summary>
/// A minimal Thrift compact-protocol decoder over a byte span, enough to walk Parquet page headers: read field
/// headers, scalar values, and skip anything else. Throws <see cref="InvalidDataException"/> on malformed input.
/// </summary>
internal ref struct ThriftCompactReader
{
    public const byte TypeBoolTrue = 1;
    public const byte TypeBoolFalse = 2;
    public const byte TypeByte = 3;
    public const byte TypeI16 = 4;
    public const byte TypeI32 = 5;
    public const byte TypeI64 = 6;
    public const byte TypeDouble = 7;
    public const byte TypeBinary = 8;
    public const byte TypeList = 9;
    public const byte TypeSet = 10;
    public const byte TypeMap = 11;
    public const byte TypeStruct = 12;

    private readonly ReadOnlySpan<byte> _data;
    private short _lastId;

    public ThriftCompactReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
        _lastId = 0;
    }

    public int Position { get; private set; }

    /// <summary>Reads the next field header of the current struct; false at its stop byte.</summary>
    public bool NextField(out short id, out byte type)
    {
        var b = ReadByte();
        if (b == 0)
        {
            id = 0;
            type = 0;
            return false;
        }
        type = (byte)(b & 0x0F);
        var delta = b >> 4;
        id = delta != 0 ? (short)(_lastId + delta) : (short)ReadZigZag();
        _lastId = id;
        return true;
    }

    public int ReadI32()
    {
        var v = ReadZigZag();
        return v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new InvalidDataException("thrift i32 out of range");
    }

    public short ReadI16()
    {
        var v = ReadZigZag();
        return v is >= short.MinValue and <= short.MaxValue ? (short)v : throw new InvalidDataException("thrift i16 out of range");
    }

    /// <summary>A one-byte integer (Thrift's i8).</summary>
    public sbyte ReadI8() => (sbyte)ReadByte();

    /// <summary>A bool list element (a whole byte: 1 true, 2 false; 0 is accepted as false, as other readers do).</summary>
    public bool ReadBoolElement() => ReadByte() switch
    {
        TypeBoolTrue => true,
        TypeBoolFalse or 0 => false,
        var b => throw new InvalidDataException($"thrift bool element has value {b}"),
    };

    /// <summary>A binary/string value: its length is checked against the bytes left before any copy.</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadSize();
        var start = Position;
        Advance(length);
        return _data.Slice(start, length);
    }

    /// <summary>
    /// A list or set header. The count is checked against the bytes left (every element takes at least one byte),
    /// so a corrupt count fails here instead of sizing an allocation or a loop.
    /// </summary>
    public int ReadListHeader(out byte elementType)
    {
        var header = ReadByte();
        var size = header >> 4;
        if (size == 15) size = ReadSize();
        elementType = (byte)(header & 0x0F);
        if (size > _data.Length - Position) throw new InvalidDataException($"thrift list of {size} elements is longer than its buffer");
        return size;
    }

    public long ReadI64() => ReadZigZag();

    /// <summary>Enters a nested struct; returns the caller's last field id to pass to <see cref="EndStruct"/>.</summary>
    public short BeginStruct()
    {
        var saved = _lastId;
        _lastId = 0;
        return saved;
    }

    public void EndStruct(short saved) => _lastId = saved;

    /// <summary>How deeply structs and collections may nest while skipping (hostile input must not overflow the stack).</summary>
    public const int MaxSkipDepth = 64;

    public void Skip(byte type) => Skip(type, 0);

    /// <summary>Skips a value found <paramref name="depth"/> levels down (the limit counts from the outermost struct).</summary>
    public void Skip(byte type, int depth)
    {
        if (depth > MaxSkipDepth) throw new InvalidDataException($"thrift structure nested deeper than {MaxSkipDepth} levels");
        switch (type)
        {
            case TypeBoolTrue:
            case TypeBoolFalse:
                break;
            case TypeByte:
                ReadByte();
                break;
            case TypeI16:
            case TypeI32:
            case TypeI64:
                ReadVarint();
                break;
            case TypeDouble:
                Advance(8);
                break;
            case TypeBinary:
                Advance(ReadSize());
                break;
            case TypeList:
            case TypeSet:
                {
                    var header = ReadByte();
                    var size = header >> 4;
                    if (size == 15) size = ReadSize();
                    var elementType = (byte)(header & 0x0F);
                    // Every element takes at least one byte: a larger count is corrupt (and would loop for ages).
                    if (size < 0 || size > _data.Length - Position) throw new InvalidDataException("thrift list is longer than its buffer");
                    for (var i = 0; i < size; i++)
                    {
                        if (elementType is TypeBoolTrue or TypeBoolFalse) ReadByte();
                        else Skip(elementType, depth + 1);
                    }
                    break;
                }
            case TypeMap:
                {
                    var size = ReadSize();
                    if (size == 0) break;
                    if (size < 0 || size > _data.Length - Position) throw new InvalidDataException("thrift map is longer than its buffer");
                    var types = ReadByte();
                    for (var i = 0; i < size; i++)
                    {
                        SkipElement((byte)(types >> 4), depth + 1);
                        SkipElement((byte)(types & 0x0F), depth + 1);
                    }
                    break;
                }
            case TypeStruct:
                {
                    var saved = BeginStruct();
                    while (NextField(out _, out var fieldType)) Skip(fieldType, depth + 1);
                    EndStruct(saved);
                    break;
                }
            default:
                throw new InvalidDataException($"unknown thrift compact type {type}");
        }
    }

    // Inside collections a bool is a whole byte, not folded into a field header.
    private void SkipElement(byte type, int depth)
    {
        if (type is TypeBoolTrue or TypeBoolFalse) ReadByte();
        else Skip(type, depth);
    }

    private int ReadSize()
    {
        var v = ReadVarint();
        return v <= int.MaxValue ? (int)v : throw new InvalidDataException("thrift size out of range");
    }

    private long ReadZigZag()
    {
        var v = ReadVarint();
        return (long)(v >> 1) ^ -(long)(v & 1);
    }

    private ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("varint too long");
    }

    private byte ReadByte()
    {
        if (Position >= _data.Length) throw new InvalidDataException("thrift structure runs past the end of its buffer");
        return _data[Position++];
    }

    private void Advance(int count)
    {
        if (count < 0 || Position + count > _data.Length) throw new InvalidDataException("thrift structure runs past the end of its buffer");
        Position += count;
    }

}
