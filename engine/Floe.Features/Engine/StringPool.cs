using System.Runtime.InteropServices;
using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Engine;

/// <summary>
/// Interns UTF-8 strings to dense ids so string values travel through the kernels as longs. The values live in one
/// byte buffer (id i is <c>bytes[offsets[i]..offsets[i + 1]]</c>) behind an open-addressing table of ids, so interning
/// a row and writing a row back out allocate nothing per row.
/// </summary>
internal sealed class StringPool
{
    private byte[] _bytes = new byte[1024];
    private int[] _offsets = new int[65];
    private int[] _hashes = new int[64];
    // Id + 1 per slot, 0 for empty; the capacity is a power of two kept at least twice the count.
    private int[] _slots = new int[128];

    /// <summary>The number of distinct strings interned.</summary>
    public int Count { get; private set; }

    /// <summary>The id of <paramref name="value"/> (UTF-8), interning it when new.</summary>
    public long Intern(ReadOnlySpan<byte> value)
    {
        int hash = Hash(value);
        int mask = _slots.Length - 1;
        for (int s = hash & mask; ; s = (s + 1) & mask)
        {
            int id = _slots[s] - 1;
            if (id < 0)
            {
                id = Add(value, hash);
                _slots[s] = id + 1;
                if (Count * 2 > _slots.Length) { Rehash(); }
                return id;
            }
            if (_hashes[id] == hash && Get(id).SequenceEqual(value)) { return id; }
        }
    }

    /// <summary>The UTF-8 bytes of id <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Get(long id) => _bytes.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);

    /// <summary>
    /// A String column of the values of <paramref name="ids"/>, null where <paramref name="valid"/> (when given) is
    /// false: the sizes in one pass, the bytes in a second, into one buffer.
    /// </summary>
    public ValueVector Gather(ReadOnlySpan<long> ids, ReadOnlySpan<bool> valid, ulong[]? validity)
    {
        int n = ids.Length;
        var offsets = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            int size = valid.IsEmpty || valid[i] ? _offsets[ids[i] + 1] - _offsets[ids[i]] : 0;
            offsets[i + 1] = checked(offsets[i] + size);
        }
        var bytes = GC.AllocateUninitializedArray<byte>(offsets[n]);
        for (int i = 0; i < n; i++)
        {
            if (valid.IsEmpty || valid[i]) { Get(ids[i]).CopyTo(bytes.AsSpan(offsets[i])); }
        }
        return ValueVector.FromUtf8(bytes, offsets, validity, n);
    }

    private int Add(ReadOnlySpan<byte> value, int hash)
    {
        int id = Count++;
        if (id == _hashes.Length)
        {
            Array.Resize(ref _hashes, _hashes.Length * 2);
            Array.Resize(ref _offsets, _hashes.Length + 1);
        }
        int at = _offsets[id];
        int end = checked(at + value.Length);
        if (end > _bytes.Length) { Array.Resize(ref _bytes, Math.Max(end, _bytes.Length * 2)); }
        value.CopyTo(_bytes.AsSpan(at));
        _offsets[id + 1] = end;
        _hashes[id] = hash;
        return id;
    }

    private void Rehash()
    {
        var slots = new int[_slots.Length * 2];
        int mask = slots.Length - 1;
        for (int id = 0; id < Count; id++)
        {
            int s = _hashes[id] & mask;
            while (slots[s] != 0) { s = (s + 1) & mask; }
            slots[s] = id + 1;
        }
        _slots = slots;
    }

    // FNV-1a over 8-byte words, finished with a multiplicative mix so the low bits (the slot) depend on every byte.
    private static int Hash(ReadOnlySpan<byte> value)
    {
        ulong h = 14695981039346656037UL ^ (ulong)value.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(value);
        foreach (ulong w in words) { h = (h ^ w) * 1099511628211UL; }
        for (int i = words.Length * 8; i < value.Length; i++) { h = (h ^ value[i]) * 1099511628211UL; }
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 32;
        return (int)h;
    }
}
