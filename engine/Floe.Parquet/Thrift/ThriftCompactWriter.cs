using System.Text;

namespace Floe.Parquet.Thrift;

/// <summary>
/// A minimal Thrift compact-protocol encoder for the Parquet footer and page headers. Callers write fields in
/// ascending id order inside <see cref="BeginStruct"/>/<see cref="EndStruct"/>; the writer tracks the last field id
/// per nesting level, which is what the compact protocol's delta field headers need.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private const byte TypeBoolTrue = 1;
    private const byte TypeBoolFalse = 2;
    private const byte TypeByte = 3;
    private const byte TypeI16 = 4;
    private const byte TypeI32 = 5;
    private const byte TypeI64 = 6;
    private const byte TypeBinary = 8;
    private const byte TypeList = 9;
    private const byte TypeStruct = 12;

    private readonly Stack<short> _lastIds = new();
    private byte[] _buffer;
    private short _lastId;

    public ThriftCompactWriter(int capacity = 256)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The encoded bytes.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    /// <summary>Forgets everything written, keeping the buffer.</summary>
    public void Reset()
    {
        Length = 0;
        _lastId = 0;
        _lastIds.Clear();
    }

    /// <summary>Starts a struct value (the top-level message or a field's value after <see cref="FieldStruct"/>).</summary>
    public void BeginStruct()
    {
        _lastIds.Push(_lastId);
        _lastId = 0;
    }

    /// <summary>Ends the current struct with a stop byte.</summary>
    public void EndStruct()
    {
        WriteByte(0);
        _lastId = _lastIds.Pop();
    }

    public void FieldI16(short id, short value)
    {
        FieldHeader(id, TypeI16);
        WriteVarint(ZigZag(value));
    }

    /// <summary>A one-byte integer field (Thrift's i8).</summary>
    public void FieldI8(short id, sbyte value)
    {
        FieldHeader(id, TypeByte);
        WriteByte((byte)value);
    }

    public void FieldI32(short id, int value)
    {
        FieldHeader(id, TypeI32);
        WriteVarint(ZigZag(value));
    }

    public void FieldI64(short id, long value)
    {
        FieldHeader(id, TypeI64);
        WriteVarint(ZigZag(value));
    }

    public void FieldBool(short id, bool value) => FieldHeader(id, value ? TypeBoolTrue : TypeBoolFalse);

    public void FieldBinary(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, TypeBinary);
        WriteBinary(value);
    }

    public void FieldString(short id, string value)
    {
        FieldHeader(id, TypeBinary);
        WriteString(value);
    }

    /// <summary>Writes a struct-typed field header; follow with <see cref="BeginStruct"/> ... <see cref="EndStruct"/>.</summary>
    public void FieldStruct(short id)
    {
        FieldHeader(id, TypeStruct);
        BeginStruct();
    }

    /// <summary>Writes a field holding an empty struct (the unit members of Parquet's logical type unions).</summary>
    public void FieldEmptyStruct(short id)
    {
        FieldStruct(id);
        EndStruct();
    }

    public void FieldListOfStruct(short id, int count)
    {
        FieldHeader(id, TypeList);
        ListHeader(count, TypeStruct);
    }

    public void FieldListOfI32(short id, ReadOnlySpan<int> values)
    {
        FieldHeader(id, TypeList);
        ListHeader(values.Length, TypeI32);
        foreach (var v in values)
        {
            WriteVarint(ZigZag(v));
        }
    }

    public void FieldListOfString(short id, IReadOnlyList<string> values)
    {
        FieldHeader(id, TypeList);
        ListHeader(values.Count, TypeBinary);
        foreach (var v in values)
        {
            WriteString(v);
        }
    }

    private void ListHeader(int count, byte elementType)
    {
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | elementType));
            WriteVarint((uint)count);
        }
    }

    private void FieldHeader(short id, byte type)
    {
        var delta = id - _lastId;
        if (delta > 0 && delta <= 15)
        {
            WriteByte((byte)((delta << 4) | type));
        }
        else
        {
            WriteByte(type);
            WriteVarint(ZigZag(id));
        }
        _lastId = id;
    }

    private void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)count);
        Ensure(count);
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length));
        Length += count;
    }

    private void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    private void WriteByte(byte b)
    {
        Ensure(1);
        _buffer[Length++] = b;
    }

    private void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[Length++] = (byte)value;
    }

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));

    private static uint ZigZag(int v) => (uint)((v << 1) ^ (v >> 31));

    private void Ensure(int extra)
    {
        if (Length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
        }
    }
}
