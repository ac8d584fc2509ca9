using System.Buffers;

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
