using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Floe.Core.Arrow;

/// <summary>
/// Gathers rows of Arrow arrays by index (Arrow's <c>take</c>): the building block for splitting a batch by
/// partition or sorting it. Fixed-width types copy through spans with no per-row allocation.
/// </summary>
public static class ArrowTake
{
    /// <summary>Returns a batch with the rows of <paramref name="batch"/> at <paramref name="indices"/>, in that order.</summary>
    public static RecordBatch Take(RecordBatch batch, ReadOnlySpan<int> indices) => Take(batch, indices, buffers: null);

    /// <summary>
    /// As <see cref="Take(RecordBatch, ReadOnlySpan{int})"/>, with the flat columns' buffers taken from
    /// <paramref name="buffers"/>: the result stays valid only until the next take into the same buffers, so a
    /// caller that consumes each result at once (a partitioned writer copying rows into its files) allocates nothing
    /// per batch.
    /// </summary>
    public static RecordBatch Take(RecordBatch batch, ReadOnlySpan<int> indices, TakeBuffers? buffers)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var columns = new IArrowArray[batch.ColumnCount];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = Take(batch.Column(i), indices, buffers?.ForColumn(i));
        }
        return new RecordBatch(batch.Schema, columns, indices.Length);
    }

    /// <summary>Returns the values of <paramref name="array"/> at <paramref name="indices"/>.</summary>
    public static IArrowArray Take(IArrowArray array, ReadOnlySpan<int> indices) => Take(array, indices, buffers: null);

    private static IArrowArray Take(IArrowArray array, ReadOnlySpan<int> indices, TakeBuffers.Column? buffers)
    {
        var data = array.Data;
        switch (data.DataType)
        {
            case BooleanType:
                return TakeBoolean((BooleanArray)array, indices);
            case FixedWidthType fixedWidth when fixedWidth is not BooleanType:
                return ArrowArrayFactory.BuildArray(TakeFixed(data, indices, fixedWidth.BitWidth / 8, buffers));
            case StringType:
            case BinaryType:
                return ArrowArrayFactory.BuildArray(TakeVariable(data, indices, buffers));
            case StructType structType:
                return TakeStruct((StructArray)array, structType, indices);
            case MapType:
            case ListType:
                return TakeList((ListArray)array, indices);
            default:
                throw Floe.Core.Errors.Errors.Unsupported($"take is not supported for Arrow type {data.DataType.Name}");
        }
    }

    private static ArrayData TakeFixed(ArrayData data, ReadOnlySpan<int> indices, int width, TakeBuffers.Column? buffers)
    {
        var source = data.Buffers[1].Span.Slice(data.Offset * width);
        var valuesMemory = Allocate(buffers, 1, indices.Length * width);
        var values = valuesMemory.Span;
        var (validity, nulls) = TakeValidity(data, indices, buffers);
        switch (width)
        {
            case 8:
                Gather(MemoryMarshal.Cast<byte, long>(source), indices, MemoryMarshal.Cast<byte, long>(values));
                break;
            case 4:
                Gather(MemoryMarshal.Cast<byte, int>(source), indices, MemoryMarshal.Cast<byte, int>(values));
                break;
            case 2:
                Gather(MemoryMarshal.Cast<byte, short>(source), indices, MemoryMarshal.Cast<byte, short>(values));
                break;
            default:
                for (var i = 0; i < indices.Length; i++)
                {
                    source.Slice(indices[i] * width, width).CopyTo(values.Slice(i * width, width));
                }
                break;
        }
        return new ArrayData(data.DataType, indices.Length, nulls, 0, new[] { validity, new ArrowBuffer(valuesMemory) });
    }

    private static void Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> indices, Span<T> destination)
        where T : unmanaged
    {
        for (var i = 0; i < indices.Length; i++)
        {
            destination[i] = source[indices[i]];
        }
    }

    private static ArrayData TakeVariable(ArrayData data, ReadOnlySpan<int> indices, TakeBuffers.Column? buffers)
    {
        var offsets = MemoryMarshal.Cast<byte, int>(data.Buffers[1].Span).Slice(data.Offset);
        var bytes = data.Buffers[2].Span;
        long total = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            total += offsets[indices[i] + 1] - offsets[indices[i]];
        }
        if (total > int.MaxValue) throw Floe.Core.Errors.Errors.Unsupported("take result exceeds 2 GiB of string data");
        var offsetsMemory = Allocate(buffers, 1, (indices.Length + 1) * sizeof(int));
        var bytesMemory = Allocate(buffers, 2, (int)total);
        var newOffsets = MemoryMarshal.Cast<byte, int>(offsetsMemory.Span);
        var newBytes = bytesMemory.Span;
        var position = 0;
        newOffsets[0] = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var start = offsets[indices[i]];
            var length = offsets[indices[i] + 1] - start;
            bytes.Slice(start, length).CopyTo(newBytes.Slice(position));
            position += length;
            newOffsets[i + 1] = position;
        }
        var (validity, nulls) = TakeValidity(data, indices, buffers);
        return new ArrayData(data.DataType, indices.Length, nulls, 0,
            new[] { validity, new ArrowBuffer(offsetsMemory), new ArrowBuffer(bytesMemory) });
    }

    private static StructArray TakeStruct(StructArray array, StructType type, ReadOnlySpan<int> indices)
    {
        // A struct's offset applies to its children, which Arrow keeps unsliced.
        ReadOnlySpan<int> childIndices = indices;
        if (array.Offset != 0)
        {
            var shifted = new int[indices.Length];
            for (var i = 0; i < indices.Length; i++) shifted[i] = indices[i] + array.Offset;
            childIndices = shifted;
        }
        var children = new IArrowArray[array.Fields.Count];
        for (var c = 0; c < children.Length; c++) children[c] = Take(array.Fields[c], childIndices);
        var (validity, nulls) = TakeValidity(array.Data, indices, buffers: null);
        return new StructArray(type, indices.Length, children, validity, nulls);
    }

    private static IArrowArray TakeList(ListArray array, ReadOnlySpan<int> indices)
    {
        // Offsets already account for the array's own offset and index the unsliced values.
        var offsets = array.ValueOffsets;
        var newOffsets = new int[indices.Length + 1];
        for (var i = 0; i < indices.Length; i++)
        {
            newOffsets[i + 1] = newOffsets[i] + offsets[indices[i] + 1] - offsets[indices[i]];
        }
        var elements = new int[newOffsets[indices.Length]];
        for (int i = 0, n = 0; i < indices.Length; i++)
        {
            for (var e = offsets[indices[i]]; e < offsets[indices[i] + 1]; e++) elements[n++] = e;
        }
        var values = Take(array.Values, elements);
        var (validity, nulls) = TakeValidity(array.Data, indices, buffers: null);
        var offsetBuffer = new ArrowBuffer(MemoryMarshal.AsBytes(newOffsets.AsSpan()).ToArray());
        return array is MapArray map
            ? new MapArray((MapType)map.Data.DataType, indices.Length, offsetBuffer, (StructArray)values, validity, nulls)
            : new ListArray(array.Data.DataType, indices.Length, offsetBuffer, values, validity, nulls);
    }

    private static BooleanArray TakeBoolean(BooleanArray array, ReadOnlySpan<int> indices)
    {
        var builder = new BooleanArray.Builder().Reserve(indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            var v = array.GetValue(indices[i]);
            if (v.HasValue) builder.Append(v.Value); else builder.AppendNull();
        }
        return builder.Build();
    }

    private static Memory<byte> Allocate(TakeBuffers.Column? buffers, int slot, int length) =>
        buffers is null ? new byte[length] : buffers.Get(slot, length);

    private static (ArrowBuffer Validity, int NullCount) TakeValidity(ArrayData data, ReadOnlySpan<int> indices, TakeBuffers.Column? buffers)
    {
        if (data.NullCount == 0 || data.Buffers[0].IsEmpty)
        {
            return (ArrowBuffer.Empty, 0);
        }
        var source = data.Buffers[0].Span;
        var bitmapMemory = Allocate(buffers, 0, (indices.Length + 7) / 8);
        var bitmap = bitmapMemory.Span;
        bitmap.Clear();
        var nulls = 0;
        for (var i = 0; i < indices.Length; i++)
        {
            var bit = data.Offset + indices[i];
            if ((source[bit >> 3] & (1 << (bit & 7))) != 0)
            {
                bitmap[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }
        return (new ArrowBuffer(bitmapMemory), nulls);
    }
}
