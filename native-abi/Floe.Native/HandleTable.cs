using System.Diagnostics.CodeAnalysis;
using Floe.Core.Errors;

namespace Floe.Native;

/// <summary>
/// Opaque handles for objects of one type. A handle is not a pointer: it packs a type tag, a slot index and the
/// slot's generation, so a closed handle (stale generation), a forged one or one of another type (wrong tag) is
/// reported as <see cref="FloeErrorCode.InvalidHandle"/> instead of being dereferenced. Thread-safe.
/// </summary>
/// <remarks>
/// Layout (64-bit): bits 56-63 tag, 24-55 generation, 0-23 slot index + 1. Handles are never 0, so NULL is invalid.
/// A slot's generation advances when it is freed, so a reused slot does not revive old handles.
/// </remarks>
/// <typeparam name="T">The object type behind the handles.</typeparam>
internal sealed class HandleTable<T>
    where T : class
{
    private const int IndexBits = 24;
    private const int GenerationBits = 32;
    private const int MaxSlots = (1 << IndexBits) - 1;
    private const long IndexMask = (1L << IndexBits) - 1;

    private readonly Lock _lock = new();
    private readonly byte _tag;
    private readonly string _typeName;
    private Entry[] _entries = new Entry[16];
    private int _used;
    private int _freeHead = -1;
    private int _count;

    /// <summary>Creates an empty table.</summary>
    /// <param name="tag">A non-zero tag unique to this handle type.</param>
    /// <param name="typeName">The C type name (<c>floe_warehouse</c>), used in messages.</param>
    public HandleTable(byte tag, string typeName)
    {
        if (tag == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), "tag 0 is reserved");
        }

        _tag = tag;
        _typeName = typeName;
    }

    /// <summary>The number of open handles.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Stores <paramref name="value"/> and returns its new handle.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.Internal"/> when 16M handles are open.</exception>
    public nint Add(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            int index;
            if (_freeHead >= 0)
            {
                index = _freeHead;
                _freeHead = _entries[index].NextFree;
            }
            else
            {
                if (_used == MaxSlots)
                {
                    throw new FloeException(FloeErrorCode.Internal, $"too many open {_typeName} handles");
                }

                if (_used == _entries.Length)
                {
                    Array.Resize(ref _entries, Math.Min(_entries.Length * 2, MaxSlots));
                }

                index = _used++;
                _entries[index].Generation = 1;
            }

            _entries[index].Value = value;
            _entries[index].NextFree = -1;
            _count++;
            return Encode(index, _entries[index].Generation);
        }
    }

    /// <summary>The object behind an open handle.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidHandle"/> for NULL, closed, forged or foreign handles.</exception>
    public T Get(nint handle)
    {
        if (!TryGet(handle, out T? value))
        {
            throw Invalid(handle);
        }

        return value;
    }

    /// <summary>Looks up a handle without throwing.</summary>
    public bool TryGet(nint handle, [NotNullWhen(true)] out T? value)
    {
        lock (_lock)
        {
            if (TryLocate(handle, out int index))
            {
                value = _entries[index].Value!;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Closes a handle, returning its object, or null when the handle was not open.</summary>
    public T? Remove(nint handle)
    {
        lock (_lock)
        {
            if (!TryLocate(handle, out int index))
            {
                return null;
            }

            T value = _entries[index].Value!;
            _entries[index].Value = null;
            // Skip generation 0 on wrap-around so that no handle of a live slot encodes to a value seen before it.
            uint next = _entries[index].Generation + 1;
            _entries[index].Generation = next == 0 ? 1 : next;
            _entries[index].NextFree = _freeHead;
            _freeHead = index;
            _count--;
            return value;
        }
    }

    /// <summary>The exception for a handle that is not open in this table.</summary>
    public FloeException Invalid(nint handle) =>
        new(FloeErrorCode.InvalidHandle, $"{_typeName} handle 0x{(ulong)handle:x} is NULL, closed, forged or of another type");

    private nint Encode(int index, uint generation) =>
        (nint)(((long)_tag << (IndexBits + GenerationBits)) | ((long)generation << IndexBits) | (index + 1L));

    private bool TryLocate(nint handle, out int index)
    {
        long bits = handle;
        index = (int)(bits & IndexMask) - 1;
        uint generation = (uint)(bits >> IndexBits);
        byte tag = (byte)((ulong)bits >> (IndexBits + GenerationBits));
        return tag == _tag
            && index >= 0
            && index < _used
            && _entries[index].Value is not null
            && _entries[index].Generation == generation;
    }

    private struct Entry
    {
        public T? Value;
        public uint Generation;
        public int NextFree;
    }
}
