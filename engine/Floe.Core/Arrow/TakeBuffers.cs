namespace Floe.Core.Arrow;

/// <summary>
/// Reusable buffers for <see cref="ArrowTake.Take(Apache.Arrow.RecordBatch, ReadOnlySpan{int}, TakeBuffers?)"/>:
/// one set per column (validity, values or offsets, string bytes), grown as needed and overwritten by the next take.
/// Not thread-safe; one owner takes into it at a time.
/// </summary>
public sealed class TakeBuffers
{
    private readonly List<Column> _columns = new();

    internal Column ForColumn(int column)
    {
        while (_columns.Count <= column) _columns.Add(new Column());
        return _columns[column];
    }

    /// <summary>The buffers of one column.</summary>
    internal sealed class Column
    {
        private readonly byte[][] _slots = { System.Array.Empty<byte>(), System.Array.Empty<byte>(), System.Array.Empty<byte>() };

        /// <summary>The first <paramref name="length"/> bytes of slot <paramref name="slot"/>, contents undefined.</summary>
        public Memory<byte> Get(int slot, int length)
        {
            if (_slots[slot].Length < length)
            {
                _slots[slot] = GC.AllocateUninitializedArray<byte>(Math.Max(length, _slots[slot].Length * 3 / 2));
            }
            return _slots[slot].AsMemory(0, length);
        }
    }
}
