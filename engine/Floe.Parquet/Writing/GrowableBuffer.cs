using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Floe.Parquet.Writing;

/// <summary>A pooled, growable byte buffer reused across row groups so steady-state writing allocates nothing.</summary>
internal sealed class GrowableBuffer : IDisposable
{
    private byte[] _array;

    public GrowableBuffer(int capacity = 4096)
    {
        _array = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public int Length { get; set; }

    /// <summary>Bytes the buffer holds, used or not (what it costs in memory).</summary>
    public int Capacity => _array.Length;

    public Span<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>Returns a span of <paramref name="count"/> writable bytes at the end and advances past them.</summary>
    public Span<byte> Reserve(int count)
    {
        Ensure(count);
        var span = _array.AsSpan(Length, count);
        Length += count;
        return span;
    }

    /// <summary>The writable space after <see cref="Length"/>, at least <paramref name="count"/> bytes.</summary>
    public Span<byte> GetSpan(int count)
    {
        Ensure(count);
        return _array.AsSpan(Length);
    }

    public void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>
    /// Appends <paramref name="value"/>'s low <paramref name="width"/> bytes (4 or 8), little-endian: one store when the
    /// buffer has room, as a dictionary adds each new entry (through <see cref="Reserve"/> and a span, ~90 instructions
    /// an entry for the feature job's maxima).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendLittleEndian(ulong value, int width)
    {
        var length = Length;
        var array = _array;
        if ((long)length + 8 <= array.Length && BitConverter.IsLittleEndian)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), length), value);
            Length = length + width;
            return;
        }
        AppendSlow(value, width);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AppendSlow(ulong value, int width)
    {
        if (width == 4) BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), (uint)value);
        else BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
    }

    public void Ensure(int extra)
    {
        var needed = (long)Length + extra;
        if (needed <= _array.Length) return;
        var size = Math.Max(needed, (long)_array.Length * 2);
        if (size > Array.MaxLength) size = Math.Max(needed, Array.MaxLength);
        if (size > Array.MaxLength) throw new InvalidOperationException("column chunk exceeds 2 GiB; lower the row group size");
        var next = ArrayPool<byte>.Shared.Rent((int)size);
        _array.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_array);
        _array = next;
    }

    /// <summary>Gives a large, empty buffer's array back to the pool (a flushed writer that may stay idle keeps no memory).</summary>
    public void Release(int keep = 4096)
    {
        if (Length != 0 || _array.Length <= keep) return;
        ArrayPool<byte>.Shared.Return(_array);
        _array = ArrayPool<byte>.Shared.Rent(keep);
    }

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = Array.Empty<byte>();
        }
    }
}
