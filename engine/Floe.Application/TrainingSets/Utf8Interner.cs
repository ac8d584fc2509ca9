using System.Numerics;
using System.Runtime.InteropServices;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Gives each distinct UTF-8 byte string a dense id (0, 1, ...) without allocating a .NET string per value: the bytes
/// live in one arena and an open-addressing table of ids finds them by hash. Adding is single-threaded; once
/// built, <see cref="Find"/> may run on many threads at once.
/// </summary>
internal sealed class Utf8Interner
{
    private byte[] _arena = new byte[1 << 16];
    private int _arenaUsed;
    private int[] _starts = new int[1024];
    private int[] _lengths = new int[1024];
    private ulong[] _hashes = new ulong[1024];
    // Slot holds id + 1; 0 marks an empty slot.
    private int[] _slots = new int[2048];
    private int _mask = 2047;

    /// <summary>Distinct strings added.</summary>
    public int Count { get; private set; }

    /// <summary>The id of <paramref name="bytes"/>, adding it when new.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> bytes)
    {
        var hash = Hash(bytes);
        var slot = (int)hash & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0) break;
            var id = entry - 1;
            if (_hashes[id] == hash && bytes.SequenceEqual(_arena.AsSpan(_starts[id], _lengths[id]))) return id;
            slot = (slot + 1) & _mask;
        }
        var added = Count++;
        if (added == _starts.Length)
        {
            Array.Resize(ref _starts, added * 2);
            Array.Resize(ref _lengths, added * 2);
            Array.Resize(ref _hashes, added * 2);
        }
        if (_arenaUsed + bytes.Length > _arena.Length) Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + bytes.Length));
        bytes.CopyTo(_arena.AsSpan(_arenaUsed));
        _starts[added] = _arenaUsed;
        _lengths[added] = bytes.Length;
        _hashes[added] = hash;
        _arenaUsed += bytes.Length;
        _slots[slot] = added + 1;
        // Keep the load factor at or below one half so probes stay short.
        if (Count * 2 > _slots.Length) Grow();
        return added;
    }

    /// <summary>The id of <paramref name="bytes"/>, or -1 when it was never added.</summary>
    public int Find(ReadOnlySpan<byte> bytes)
    {
        var hash = Hash(bytes);
        var slot = (int)hash & _mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0) return -1;
            var id = entry - 1;
            if (_hashes[id] == hash && bytes.SequenceEqual(_arena.AsSpan(_starts[id], _lengths[id]))) return id;
            slot = (slot + 1) & _mask;
        }
    }

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        var mask = slots.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var slot = (int)_hashes[id] & mask;
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = id + 1;
        }
        _slots = slots;
        _mask = mask;
    }

    /// <summary>A fast 64-bit hash over 8-byte words (keys are short entity ids, so speed matters more than strength).</summary>
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong P1 = 0x9E3779B97F4A7C15UL;
        const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
        var h = P1 ^ ((ulong)bytes.Length * P2);
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            var v = MemoryMarshal.Read<ulong>(bytes[i..]);
            h = BitOperations.RotateLeft(h ^ (v * P2), 31) * P1;
        }
        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (var j = bytes.Length - 1; j >= i; j--) tail = (tail << 8) | bytes[j];
            h = BitOperations.RotateLeft(h ^ (tail * P2), 31) * P1;
        }
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        return h;
    }
}
