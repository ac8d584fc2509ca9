namespace Floe.Application.TrainingSets;

/// <summary>
/// Dense ids for 64-bit values: open addressing with linear probing over parallel key/id arrays and a Fibonacci
/// hash, so a look-up costs one probe into a compact table (feature rows look up tens of millions of entity keys).
/// Adding is single-threaded; once built, <see cref="Find"/> may run on many threads at once.
/// </summary>
internal sealed class LongIdMap
{
    private long[] _keys = new long[1024];
    // Id + 1 per slot; 0 marks an empty slot.
    private int[] _ids = new int[1024];
    private int _shift = 64 - 10;

    /// <summary>Distinct values added.</summary>
    public int Count { get; private set; }

    /// <summary>The id of <paramref name="key"/>, adding it when new.</summary>
    public int GetOrAdd(long key)
    {
        var mask = _ids.Length - 1;
        var slot = Slot(key);
        while (true)
        {
            var id = _ids[slot];
            if (id == 0) break;
            if (_keys[slot] == key) return id - 1;
            slot = (slot + 1) & mask;
        }
        var added = Count++;
        _keys[slot] = key;
        _ids[slot] = added + 1;
        // Load factor at most one half keeps probe runs short.
        if (Count * 2 > _ids.Length) Grow();
        return added;
    }

    /// <summary>The id of <paramref name="key"/>, or -1 when it was never added.</summary>
    public int Find(long key)
    {
        var mask = _ids.Length - 1;
        var slot = Slot(key);
        while (true)
        {
            var id = _ids[slot];
            if (id == 0) return -1;
            if (_keys[slot] == key) return id - 1;
            slot = (slot + 1) & mask;
        }
    }

    private int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

    private void Grow()
    {
        var oldKeys = _keys;
        var oldIds = _ids;
        _keys = new long[oldKeys.Length * 2];
        _ids = new int[oldIds.Length * 2];
        _shift--;
        var mask = _ids.Length - 1;
        for (var i = 0; i < oldIds.Length; i++)
        {
            if (oldIds[i] == 0) continue;
            var slot = Slot(oldKeys[i]);
            while (_ids[slot] != 0) slot = (slot + 1) & mask;
            _keys[slot] = oldKeys[i];
            _ids[slot] = oldIds[i];
        }
    }
}
