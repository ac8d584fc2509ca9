using System.Buffers;
using System.Runtime.InteropServices;

namespace Floe.Features.Columns;

/// <summary>A byte view of a slice of a managed array of unmanaged values, so Arrow buffers can share engine arrays.</summary>
internal sealed class ArrayByteMemory<T> : MemoryManager<byte>
    where T : unmanaged
{
    private readonly T[] _array;
    private readonly int _start;
    private readonly int _length;
    private GCHandle _pin;
    private int _pins;

    public ArrayByteMemory(T[] array, int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, array.Length);
        _array = array;
        _start = start;
        _length = length;
    }

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(_array.AsSpan(_start, _length));

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        if (_pins++ == 0) { _pin = GCHandle.Alloc(_array, GCHandleType.Pinned); }
        byte* p = (byte*)_pin.AddrOfPinnedObject() + ((long)_start * sizeof(T)) + elementIndex;
        return new MemoryHandle(p, default, this);
    }

    public override void Unpin()
    {
        if (--_pins == 0) { _pin.Free(); }
    }

    protected override void Dispose(bool disposing)
    {
        if (_pin.IsAllocated) { _pin.Free(); }
        _pins = 0;
    }
}
