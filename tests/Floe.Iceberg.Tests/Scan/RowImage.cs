using System.Runtime.InteropServices;
using Apache.Arrow;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// The rows of a scan as flat cells, in scan order, whatever the batch boundaries: two longs a cell (null, value bits
/// or a string's UTF-8 length) and the strings' bytes. Two images are equal exactly when the scans returned the same
/// rows in the same order with the same values (doubles by their bits), which is what the row texts compared, at a
/// small part of the cost of formatting every cell (the comparisons here read ~35,000 rows 120 times per case).
/// </summary>
internal sealed class RowImage
{
    private readonly List<long> _cells = new();
    private readonly List<byte> _bytes = new();

    /// <summary>The number of rows added.</summary>
    public int Rows { get; private set; }

    /// <summary>Appends every row of <paramref name="batch"/>.</summary>
    public void Add(RecordBatch batch)
    {
        for (var i = 0; i < batch.Length; i++)
        {
            for (var c = 0; c < batch.ColumnCount; c++) AddCell(batch.Column(c), i);
        }
        Rows += batch.Length;
    }

    /// <summary>Whether both images hold the same rows, cells and bytes.</summary>
    public bool SameAs(RowImage other) =>
        Rows == other.Rows
        && CollectionsMarshal.AsSpan(_cells).SequenceEqual(CollectionsMarshal.AsSpan(other._cells))
        && CollectionsMarshal.AsSpan(_bytes).SequenceEqual(CollectionsMarshal.AsSpan(other._bytes));

    private void AddCell(IArrowArray array, int i)
    {
        if (array.IsNull(i))
        {
            _cells.Add(0);
            _cells.Add(0);
            return;
        }
        switch (array)
        {
            case Int64Array a:
                _cells.Add(1);
                _cells.Add(a.Values[i]);
                break;
            case Int32Array a:
                _cells.Add(2);
                _cells.Add(a.Values[i]);
                break;
            case DoubleArray a:
                _cells.Add(3);
                _cells.Add(BitConverter.DoubleToInt64Bits(a.Values[i]));
                break;
            case TimestampArray a:
                _cells.Add(4);
                _cells.Add(a.Values[i]);
                break;
            case StringArray a:
                var bytes = a.GetBytes(i);
                _cells.Add(5);
                _cells.Add(bytes.Length);
                _bytes.AddRange(bytes);
                break;
            default:
                throw new AssertionException($"unexpected column type {array.Data.DataType.Name}");
        }
    }
}
