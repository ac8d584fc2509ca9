using System.Buffers;
using System.Runtime.InteropServices;

namespace Floe.Core.Arrow;

/// <summary>
/// A byte view of a slice of a managed array of unmanaged values, so Arrow buffers can share typed arrays: the
/// feature engine's output columns going to a writer, and the Parquet reader's decoded values, which the feature
/// engine then takes back as they are (<see cref="Array"/>) instead of copying them out of the buffer.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ArrayByteMemory<T> : MemoryManager<byte>
    where T : unmanaged
{
    private readonly int _length;
    private GCHandle _pin;
    private int _pins;

    /// <summary>Views elements [<paramref name="start"/>, + <paramref name="length"/>) of <paramref name="array"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The slice does not fit in the array.</exception>
    public ArrayByteMemory(T[] array, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, array.Length);
        Array = array;
        Start = start;
        _length = length;
    }

    /// <summary>The array viewed (its elements before <see cref="Start"/> and past the slice are not part of the view).</summary>
    public T[] Array { get; }

    /// <summary>The first element viewed.</summary>
    public int Start { get; }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(Array.AsSpan(Start, _length));

    /// <inheritdoc />
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        // Locked: the reader's buffers may be exported or written from several threads at once.
        lock (this)
        {
            if (_pins++ == 0) { _pin = GCHandle.Alloc(Array, GCHandleType.Pinned); }
            byte* p = (byte*)_pin.AddrOfPinnedObject() + ((long)Start * sizeof(T)) + elementIndex;
            return new MemoryHandle(p, default, this);
        }
    }

    /// <inheritdoc />
    public override void Unpin()
    {
        lock (this)
        {
            if (--_pins == 0) { _pin.Free(); }
        }
    }

    /// <summary>
    /// The array behind <paramref name="buffer"/> when the buffer is exactly a view of one from its first element
    /// (so element i of the array is value i of the buffer); null otherwise.
    /// </summary>
    public static T[]? WholeArrayOf(ReadOnlyMemory<byte> buffer) =>
        MemoryMarshal.TryGetMemoryManager(buffer, out ArrayByteMemory<T>? manager, out int start, out _) && start == 0 && manager.Start == 0
            ? manager.Array
            : null;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_pin.IsAllocated) { _pin.Free(); }
        _pins = 0;
    }
}
