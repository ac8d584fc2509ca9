using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Floe.Avro;

/// <summary>
/// Avro binary encoding into a growable buffer: zigzag varints, little-endian floats, length-prefixed bytes and
/// strings. Values are written straight into the buffer; nothing is allocated per value once it has grown.
/// </summary>
public sealed class AvroEncoder
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an encoder with the given initial capacity.</summary>
    public AvroEncoder(int initialCapacity = 1 << 16) => _buffer = new byte[Math.Max(16, initialCapacity)];

    /// <summary>Bytes written since the last <see cref="Reset"/>.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far (valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>Drops everything written after <paramref name="length"/> bytes (undoes a partly written datum).</summary>
    public void Truncate(int length)
    {
        if ((uint)length > (uint)_length) throw new ArgumentOutOfRangeException(nameof(length));
        _length = length;
    }

    /// <summary>Writes a boolean as one byte.</summary>
    public void WriteBoolean(bool value)
    {
        Ensure(1);
        _buffer[_length++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>Writes an int (zigzag varint).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteInt(int value) => WriteLong(value);

    /// <summary>Writes a long (zigzag varint).</summary>
    public void WriteLong(long value)
    {
        Ensure(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var buffer = _buffer;
        var pos = _length;
        while (n >= 0x80)
        {
            buffer[pos++] = (byte)(n | 0x80);
            n >>= 7;
        }
        buffer[pos++] = (byte)n;
        _length = pos;
    }

    /// <summary>Writes a float (4 bytes little-endian).</summary>
    public void WriteFloat(float value)
    {
        Ensure(4);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    /// <summary>Writes a double (8 bytes little-endian).</summary>
    public void WriteDouble(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Writes bytes: the length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    /// <summary>Writes a string: the UTF-8 length, then the UTF-8 bytes, encoded in place.</summary>
    public void WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteLong(byteCount);
        Ensure(byteCount);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>Writes raw bytes with no length (fixed values).</summary>
    public void WriteFixed(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>Writes a union branch index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnionIndex(int index) => WriteLong(index);

    // Optional fields are unions ["null", T] with null first, as Iceberg's manifest schemas declare them.

    /// <summary>Writes an optional long as the union <c>["null", "long"]</c>.</summary>
    public void WriteOptional(long? value)
    {
        if (value is { } v)
        {
            WriteUnionIndex(1);
            WriteLong(v);
        }
        else
        {
            WriteUnionIndex(0);
        }
    }

    /// <summary>Writes an optional int as the union <c>["null", "int"]</c>.</summary>
    public void WriteOptional(int? value) => WriteOptional((long?)value);

    /// <summary>Writes optional bytes as the union <c>["null", "bytes"]</c>.</summary>
    public void WriteOptional(byte[]? value)
    {
        if (value is null)
        {
            WriteUnionIndex(0);
            return;
        }
        WriteUnionIndex(1);
        WriteBytes(value);
    }

    /// <summary>Writes an optional string as the union <c>["null", "string"]</c>.</summary>
    public void WriteOptional(string? value)
    {
        if (value is null)
        {
            WriteUnionIndex(0);
            return;
        }
        WriteUnionIndex(1);
        WriteString(value);
    }

    /// <summary>Starts an array or map block of <paramref name="count"/> items (skipped when 0).</summary>
    public void WriteBlockStart(int count)
    {
        if (count > 0) WriteLong(count);
    }

    /// <summary>Ends an array or map (the zero-count block).</summary>
    public void WriteBlockEnd() => WriteLong(0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int extra)
    {
        if (_buffer.Length - _length < extra) Grow(extra);
    }

    private void Grow(int extra)
    {
        var size = Math.Max(_buffer.Length * 2L, (long)_length + extra);
        if (size > Array.MaxLength) size = (long)_length + extra;
        Array.Resize(ref _buffer, checked((int)size));
    }
}
