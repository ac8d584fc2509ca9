using System.Runtime.InteropServices;
using Apache.Arrow;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// The rows of a scan as flat cells, in scan order, whatever the batch boundaries: per column, two longs a cell (a
/// tag, 0 for null, and the value's bits or a string's UTF-8 length) and the strings' bytes. Two images are equal
/// exactly when the scans returned the same rows in the same order with the same values (doubles by their bits),
/// which is what the row texts compared, at a small part of the cost of formatting every cell (the comparisons here
/// read ~35,000 rows 120 times per case). Cells are appended a column of a batch at a time, with the column's type
/// looked up once, not per cell; the columns' sequences, concatenated over batches, hold the same cells in the same
/// order as the rows do.
/// </summary>
internal sealed class RowImage
{
    private readonly List<List<long>> _cells = new();
    private readonly List<List<byte>> _bytes = new();

    /// <summary>The number of rows added.</summary>
    public int Rows { get; private set; }

    /// <summary>Appends every row of <paramref name="batch"/>.</summary>
    public void Add(RecordBatch batch)
    {
        while (_cells.Count < batch.ColumnCount)
        {
            // A column first seen after some rows (never in one scan's batches) starts with their empty cells.
            _cells.Add(new List<long>(Enumerable.Repeat(-1L, 2 * Rows)));
            _bytes.Add(new List<byte>());
        }
        for (var c = 0; c < batch.ColumnCount; c++) AddColumn(batch.Column(c), batch.Length, _cells[c], _bytes[c]);
        Rows += batch.Length;
    }

    /// <summary>Whether both images hold the same rows, cells and bytes.</summary>
    public bool SameAs(RowImage other)
    {
        if (Rows != other.Rows || _cells.Count != other._cells.Count) return false;
        for (var c = 0; c < _cells.Count; c++)
        {
            if (!CollectionsMarshal.AsSpan(_cells[c]).SequenceEqual(CollectionsMarshal.AsSpan(other._cells[c]))
                || !CollectionsMarshal.AsSpan(_bytes[c]).SequenceEqual(CollectionsMarshal.AsSpan(other._bytes[c])))
            {
                return false;
            }
        }
        return true;
    }

    private static void AddColumn(IArrowArray array, int length, List<long> cells, List<byte> bytes)
    {
        switch (array)
        {
            case Int64Array a:
                AddValues(a, length, 1, a.Values, static v => v, cells);
                break;
            case Int32Array a:
                AddValues(a, length, 2, a.Values, static v => v, cells);
                break;
            case DoubleArray a:
                AddValues(a, length, 3, a.Values, BitConverter.DoubleToInt64Bits, cells);
                break;
            case TimestampArray a:
                AddValues(a, length, 4, a.Values, static v => v, cells);
                break;
            case StringArray a:
                for (var i = 0; i < length; i++)
                {
                    if (a.IsNull(i))
                    {
                        cells.Add(0);
                        cells.Add(0);
                        continue;
                    }
                    var value = a.GetBytes(i);
                    cells.Add(5);
                    cells.Add(value.Length);
                    bytes.AddRange(value);
                }
                break;
            default:
                throw new AssertionException($"unexpected column type {array.Data.DataType.Name}");
        }
    }

    private static void AddValues<T>(IArrowArray array, int length, long tag, ReadOnlySpan<T> values, Func<T, long> bits, List<long> cells)
        where T : struct
    {
        for (var i = 0; i < length; i++)
        {
            if (array.IsNull(i))
            {
                cells.Add(0);
                cells.Add(0);
            }
            else
            {
                cells.Add(tag);
                cells.Add(bits(values[i]));
            }
        }
    }
}
