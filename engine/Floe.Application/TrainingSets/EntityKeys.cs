using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Dense ids for the entity keys (one or more columns) of a spine, and look-ups of feature rows' keys among them.
/// Integer-like columns (int, long, date, time, timestamps, booleans) compare by value, string/binary columns by
/// bytes; a null key part gives no entity (-1). Keys are folded column by column: the first column's value maps
/// to a dense id, then each (id so far, next value) pair maps to the next dense id, so any number of key columns
/// works with no per-row allocation. Built single-threaded from the spine; <see cref="Find"/> is then read-only
/// and safe on many threads.
/// </summary>
internal sealed class EntityKeys
{
    private readonly bool[] _isString;
    private readonly Utf8Interner?[] _strings;
    private readonly LongIdMap _first = new();
    private readonly Dictionary<Pair, int>[] _pairs;

    /// <summary>Keys of <paramref name="keyIsString"/>.Length columns; true marks a string/binary column.</summary>
    public EntityKeys(bool[] keyIsString)
    {
        _isString = keyIsString;
        _strings = new Utf8Interner?[keyIsString.Length];
        for (var k = 0; k < keyIsString.Length; k++) _strings[k] = keyIsString[k] ? new Utf8Interner() : null;
        _pairs = new Dictionary<Pair, int>[keyIsString.Length];
        for (var k = 1; k < keyIsString.Length; k++) _pairs[k] = new Dictionary<Pair, int>();
    }

    /// <summary>Distinct entities added so far.</summary>
    public int Count => _isString.Length == 1 ? FirstLevelCount : _pairs[^1].Count;

    private int FirstLevelCount => _isString[0] ? _strings[0]!.Count : _first.Count;

    /// <summary>True when an Arrow type is a string/binary key, false for an integer-like one.</summary>
    /// <exception cref="FloeException">Unsupported for other types (floating point, decimal, nested).</exception>
    public static bool IsStringKey(IArrowType type, string column) => type switch
    {
        StringType or BinaryType => true,
        BooleanType => false,
        FixedWidthType f when f is not FloatingPointType && f is not Decimal128Type && f is not FixedSizeBinaryType && f.BitWidth is 32 or 64 => false,
        _ => throw Errors.Unsupported($"entity column '{column}' has type {type.Name}, which cannot be an entity key (use integers, dates, timestamps, booleans or strings)"),
    };

    /// <summary>Assigns ids to the keys in <paramref name="columns"/> (one array per key column), adding new ones.</summary>
    public void Add(IReadOnlyList<IArrowArray> columns, Span<int> ids) => Resolve(columns, ids, add: true);

    /// <summary>Finds the ids of the keys in <paramref name="columns"/>; -1 where a key is null or unknown.</summary>
    public void Find(IReadOnlyList<IArrowArray> columns, Span<int> ids) => Resolve(columns, ids, add: false);

    private void Resolve(IReadOnlyList<IArrowArray> columns, Span<int> ids, bool add)
    {
        FirstLevel(columns[0], ids, add);
        for (var k = 1; k < columns.Count; k++) NextLevel(k, columns[k], ids, add);
    }

    private void FirstLevel(IArrowArray array, Span<int> ids, bool add)
    {
        var n = ids.Length;
        var data = array.Data;
        if (_isString[0])
        {
            var interner = _strings[0]!;
            var offsets = Offsets(data);
            var bytes = data.Buffers[2].Span;
            for (var i = 0; i < n; i++)
            {
                if (!IsValid(data, i)) { ids[i] = -1; continue; }
                var value = bytes.Slice(offsets[i], offsets[i + 1] - offsets[i]);
                ids[i] = add ? interner.GetOrAdd(value) : interner.Find(value);
            }
            return;
        }
        if (data.DataType is BooleanType)
        {
            var bits = data.Buffers[1].Span;
            for (var i = 0; i < n; i++)
            {
                if (!IsValid(data, i)) { ids[i] = -1; continue; }
                var bit = data.Offset + i;
                ids[i] = Dense((bits[bit >> 3] >> (bit & 7)) & 1, add);
            }
            return;
        }
        if (((FixedWidthType)data.DataType).BitWidth == 32)
        {
            var values = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset, n);
            for (var i = 0; i < n; i++) ids[i] = IsValid(data, i) ? Dense(values[i], add) : -1;
            return;
        }
        var longs = MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span).Slice(data.Offset, n);
        if (data.NullCount == 0)
        {
            for (var i = 0; i < n; i++) ids[i] = Dense(longs[i], add);
            return;
        }
        for (var i = 0; i < n; i++) ids[i] = IsValid(data, i) ? Dense(longs[i], add) : -1;
    }

    private int Dense(long value, bool add) => add ? _first.GetOrAdd(value) : _first.Find(value);

    private void NextLevel(int k, IArrowArray array, Span<int> ids, bool add)
    {
        var n = ids.Length;
        var data = array.Data;
        var pairs = _pairs[k];
        ReadOnlySpan<int> offsets = default;
        ReadOnlySpan<byte> bytes = default;
        ReadOnlySpan<byte> fixedBytes = default;
        var width = 0;
        if (_isString[k])
        {
            offsets = Offsets(data);
            bytes = data.Buffers[2].Span;
        }
        else if (data.DataType is not BooleanType)
        {
            width = ((FixedWidthType)data.DataType).BitWidth / 8;
            fixedBytes = data.Buffers[1].Span;
        }
        for (var i = 0; i < n; i++)
        {
            if (ids[i] < 0) continue;
            if (!IsValid(data, i)) { ids[i] = -1; continue; }
            long code;
            if (_isString[k])
            {
                var value = bytes.Slice(offsets[i], offsets[i + 1] - offsets[i]);
                code = add ? _strings[k]!.GetOrAdd(value) : _strings[k]!.Find(value);
                if (code < 0) { ids[i] = -1; continue; }
            }
            else if (width == 0)
            {
                var bit = data.Offset + i;
                code = (data.Buffers[1].Span[bit >> 3] >> (bit & 7)) & 1;
            }
            else if (width == 4)
            {
                code = MemoryMarshal.Read<int>(fixedBytes[((data.Offset + i) * 4)..]);
            }
            else
            {
                code = MemoryMarshal.Read<long>(fixedBytes[((data.Offset + i) * 8)..]);
            }
            var key = new Pair(ids[i], code);
            if (add)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(pairs, key, out var exists);
                if (!exists) slot = pairs.Count - 1;
                ids[i] = slot;
            }
            else
            {
                ids[i] = pairs.TryGetValue(key, out var found) ? found : -1;
            }
        }
    }

    private static ReadOnlySpan<int> Offsets(ArrayData data) => MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset);

    private static bool IsValid(ArrayData data, int i)
    {
        if (data.NullCount == 0 || data.Buffers[0].IsEmpty) return true;
        var bit = data.Offset + i;
        return (data.Buffers[0].Span[bit >> 3] & (1 << (bit & 7))) != 0;
    }

    /// <summary>An entity id so far and the next key column's value.</summary>
    private readonly record struct Pair(int Prefix, long Code);
}
