using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;

namespace Floe.Features.Engine;

/// <summary>Assigns every distinct entity key (one to four columns) a dense id, stable for the index's lifetime.</summary>
internal sealed class EntityIndex
{
    public const int MaxKeyColumns = 4;

    private readonly Dictionary<long, int> _single = [];
    // Single integer keys in [0, _direct.Length) map through this array (dense id + 1; 0: not seen) instead of the
    // dictionary: ids like 0..n are the common case and an array read is several times cheaper than a hash lookup.
    // It grows only while it stays within a few slots per entity (see DirectLimit), so sparse keys cost no memory.
    private int[] _direct = [];
    private readonly Dictionary<KeyTuple, int> _multi = [];
    // Each entity's key values by dense id (string keys as pool ids), so output rows need not carry key columns.
    private long[][] _keys = [];
    private int _keyColumns;

    public int Count { get; private set; }

    /// <summary>
    /// Fills <paramref name="ids"/> with the entity id of each row, or -1 where a key part is null.
    /// </summary>
    public void Assign(IReadOnlyList<ValueVector> keys, StringPool strings, Span<int> ids)
    {
        int n = ids.Length;
        if (keys.Count == 1 && keys[0].Longs is { } single && keys[0].Kind != ValueKind.String)
        {
            // The validity bits read inline (a key column is rarely nullable): a call per row was a third of the loop.
            var valid = keys[0].Valid;
            var direct = _direct;
            for (int i = 0; i < n; i++)
            {
                if (valid is not null && ((valid[i >> 6] >> (i & 63)) & 1UL) == 0) { ids[i] = -1; continue; }
                long key = single[i];
                if ((ulong)key < (ulong)direct.Length)
                {
                    ref int d = ref direct[key];
                    if (d == 0)
                    {
                        d = Count + 1;
                        Remember(Count++, keys, key, 0, 0, 0);
                    }
                    ids[i] = d - 1;
                    continue;
                }
                ids[i] = AssignOutsideDirect(keys, key);
                direct = _direct;
            }
            return;
        }
        Span<long> parts = stackalloc long[MaxKeyColumns];
        for (int i = 0; i < n; i++)
        {
            parts.Clear();
            bool isNull = false;
            for (int k = 0; k < keys.Count; k++)
            {
                var c = keys[k];
                if (!c.IsValid(i)) { isNull = true; break; }
                parts[k] = c.Kind switch
                {
                    ValueKind.String => strings.Intern(c.GetUtf8(i)),
                    ValueKind.Bool => c.GetBool(i) ? 1 : 0,
                    _ => c.Longs![i],
                };
            }
            if (isNull) { ids[i] = -1; continue; }
            var key = new KeyTuple(parts[0], parts[1], parts[2], parts[3]);
            ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_multi, key, out bool exists);
            if (!exists)
            {
                slot = Count++;
                Remember(slot, keys, parts[0], parts[1], parts[2], parts[3]);
            }
            ids[i] = slot;
        }
    }

    // A single integer key beyond the direct map: the map grows to take it while it stays within DirectLimit, else
    // the dictionary holds it.
    private int AssignOutsideDirect(IReadOnlyList<ValueVector> keys, long key)
    {
        if (key >= 0 && key < DirectLimit)
        {
            GrowDirect(key);
            ref int d = ref _direct[key];
            if (d == 0)
            {
                d = Count + 1;
                Remember(Count++, keys, key, 0, 0, 0);
            }
            return d - 1;
        }
        ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_single, key, out bool exists);
        if (!exists)
        {
            slot = Count++;
            Remember(slot, keys, key, 0, 0, 0);
        }
        return slot;
    }

    // At most four array slots per entity seen so far, plus 64k: dense ids stay direct, sparse ones go to the dictionary.
    private long DirectLimit => (4L * Count) + 65_536;

    /// <summary>
    /// Grows the direct map to cover <paramref name="key"/> and moves every dictionary key it now covers into it, so
    /// each key lives in exactly one of the two.
    /// </summary>
    private void GrowDirect(long key)
    {
        int length = (int)Math.Min(DirectLimit, Math.Max(key + 1, Math.Max(1024L, 2L * _direct.Length)));
        Array.Resize(ref _direct, length);
        if (_single.Count == 0) { return; }
        var moved = new List<long>();
        foreach (var (k, id) in _single)
        {
            if (k >= 0 && k < length)
            {
                _direct[k] = id + 1;
                moved.Add(k);
            }
        }
        foreach (long k in moved) { _single.Remove(k); }
    }

    private void Remember(int id, IReadOnlyList<ValueVector> keys, long a, long b, long c, long d)
    {
        if (_keyColumns != keys.Count)
        {
            _keyColumns = keys.Count;
            _keys = new long[keys.Count][];
            for (int k = 0; k < keys.Count; k++) { _keys[k] = new long[1024]; }
        }
        if (id >= _keys[0].Length)
        {
            for (int k = 0; k < _keys.Length; k++) { Array.Resize(ref _keys[k], Math.Max(id + 1, _keys[k].Length * 2)); }
        }
        _keys[0][id] = a;
        if (_keys.Length > 1) { _keys[1][id] = b; }
        if (_keys.Length > 2) { _keys[2][id] = c; }
        if (_keys.Length > 3) { _keys[3][id] = d; }
    }

    /// <summary>The values of key column <paramref name="k"/> (of <paramref name="kind"/>) for the entities <paramref name="ids"/>, in that order.</summary>
    public ValueVector KeyColumn(int k, ValueKind kind, ReadOnlySpan<int> ids, StringPool strings, ChunkPool<long>? pool = null)
    {
        if (ids.Length == 0) { return ValueVector.Empty(kind); }
        var source = _keys[k];
        if (kind == ValueKind.String)
        {
            var keys = GC.AllocateUninitializedArray<long>(ids.Length);
            for (int i = 0; i < ids.Length; i++) { keys[i] = source[ids[i]]; }
            return strings.Gather(keys, default, null);
        }
        // Integer and timestamp keys may come from the pool (the array then may be longer than the rows).
        var values = pool is not null && kind != ValueKind.Bool ? pool.Rent(ids.Length) : GC.AllocateUninitializedArray<long>(ids.Length);
        for (int i = 0; i < ids.Length; i++) { values[i] = source[ids[i]]; }
        return kind == ValueKind.Bool ? ValueVector.FromFlagLongs(values, null, ids.Length) : ValueVector.FromLongs(kind, values, null, ids.Length);
    }

    /// <summary>
    /// As <see cref="KeyColumn(int, ValueKind, ReadOnlySpan{int}, StringPool, ChunkPool{long}?)"/> for the first
    /// <paramref name="length"/> ids, an integer or timestamp key gathered in <see cref="OutputGather.Blocks"/> blocks on
    /// up to <paramref name="parallelism"/> threads (the same values); string and boolean keys as before.
    /// </summary>
    public ValueVector KeyColumn(int k, ValueKind kind, int[] ids, int length, StringPool strings, ChunkPool<long>? pool, int parallelism)
    {
        int blocks = OutputGather.Blocks(length, parallelism);
        if (blocks <= 1 || kind is ValueKind.String or ValueKind.Bool) { return KeyColumn(k, kind, ids.AsSpan(0, length), strings, pool); }
        var source = _keys[k];
        var values = pool?.Rent(length) ?? GC.AllocateUninitializedArray<long>(length);
        SharedWork.For(blocks, parallelism, b =>
        {
            var (from, to) = OutputGather.Block(length, blocks, b);
            for (int i = from; i < to; i++) { values[i] = source[ids[i]]; }
        });
        return ValueVector.FromLongs(kind, values, null, length);
    }
}
