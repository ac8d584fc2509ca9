using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Builds an output column by picking, for each output row, one value out of a list of source arrays (the feature
/// batches read), or a null where the row has no match. Fixed-width values copy through spans; no per-row allocation.
/// </summary>
internal static class ColumnGather
{
    /// <summary>
    /// Output row i takes <c>chunks[chunkOf[i]]</c> at row <c>rowOf[i]</c>, or null when <c>chunkOf[i]</c> is -1.
    /// </summary>
    public static IArrowArray Gather(IArrowType type, IReadOnlyList<IArrowArray> chunks, ReadOnlySpan<int> chunkOf, ReadOnlySpan<int> rowOf, string column)
    {
        var n = chunkOf.Length;
        var validity = new byte[(n + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < n; i++)
        {
            var c = chunkOf[i];
            if (c >= 0 && IsValid(chunks[c].Data, rowOf[i])) validity[i >> 3] |= (byte)(1 << (i & 7));
            else nulls++;
        }
        var validityBuffer = nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity);
        ArrayData data = type switch
        {
            BooleanType => new ArrayData(type, n, nulls, 0, [validityBuffer, new ArrowBuffer(Bits(chunks, chunkOf, rowOf))]),
            StringType or BinaryType => Variable(type, chunks, chunkOf, rowOf, validityBuffer, nulls),
            FixedSizeBinaryType f => new ArrayData(type, n, nulls, 0, [validityBuffer, new ArrowBuffer(Fixed(chunks, chunkOf, rowOf, f.ByteWidth))]),
            FixedWidthType f when f.BitWidth % 8 == 0 => new ArrayData(type, n, nulls, 0, [validityBuffer, new ArrowBuffer(Fixed(chunks, chunkOf, rowOf, f.BitWidth / 8))]),
            _ => throw Errors.Unsupported($"feature column '{column}' has type {type.Name}, which training sets cannot carry"),
        };
        return ArrowArrayFactory.BuildArray(data);
    }

    private static byte[] Fixed(IReadOnlyList<IArrowArray> chunks, ReadOnlySpan<int> chunkOf, ReadOnlySpan<int> rowOf, int width)
    {
        var n = chunkOf.Length;
        var values = new byte[n * width];
        var sources = new ReadOnlyMemory<byte>[chunks.Count];
        for (var c = 0; c < sources.Length; c++)
        {
            var d = chunks[c].Data;
            sources[c] = d.Buffers[1].Memory[(d.Offset * width)..];
        }
        if (width == 8)
        {
            var dest = MemoryMarshal.Cast<byte, long>(values.AsSpan());
            for (var i = 0; i < n; i++)
            {
                var c = chunkOf[i];
                if (c >= 0) dest[i] = MemoryMarshal.Cast<byte, long>(sources[c].Span)[rowOf[i]];
            }
            return values;
        }
        if (width == 4)
        {
            var dest = MemoryMarshal.Cast<byte, int>(values.AsSpan());
            for (var i = 0; i < n; i++)
            {
                var c = chunkOf[i];
                if (c >= 0) dest[i] = MemoryMarshal.Cast<byte, int>(sources[c].Span)[rowOf[i]];
            }
            return values;
        }
        for (var i = 0; i < n; i++)
        {
            var c = chunkOf[i];
            if (c >= 0) sources[c].Span.Slice(rowOf[i] * width, width).CopyTo(values.AsSpan(i * width, width));
        }
        return values;
    }

    private static byte[] Bits(IReadOnlyList<IArrowArray> chunks, ReadOnlySpan<int> chunkOf, ReadOnlySpan<int> rowOf)
    {
        var n = chunkOf.Length;
        var bits = new byte[(n + 7) / 8];
        for (var i = 0; i < n; i++)
        {
            var c = chunkOf[i];
            if (c < 0) continue;
            var d = chunks[c].Data;
            var bit = d.Offset + rowOf[i];
            if ((d.Buffers[1].Span[bit >> 3] & (1 << (bit & 7))) != 0) bits[i >> 3] |= (byte)(1 << (i & 7));
        }
        return bits;
    }

    private static ArrayData Variable(IArrowType type, IReadOnlyList<IArrowArray> chunks, ReadOnlySpan<int> chunkOf, ReadOnlySpan<int> rowOf, ArrowBuffer validity, int nulls)
    {
        var n = chunkOf.Length;
        var offsets = new int[n + 1];
        long total = 0;
        for (var i = 0; i < n; i++)
        {
            var c = chunkOf[i];
            if (c >= 0)
            {
                var d = chunks[c].Data;
                var o = MemoryMarshal.Cast<byte, int>(d.Buffers[1].Span).Slice(d.Offset);
                total += o[rowOf[i] + 1] - o[rowOf[i]];
                if (total > int.MaxValue) throw Errors.Unsupported("a training set batch exceeds 2 GiB of string data");
            }
            offsets[i + 1] = (int)total;
        }
        var bytes = new byte[total];
        for (var i = 0; i < n; i++)
        {
            var c = chunkOf[i];
            if (c < 0) continue;
            var d = chunks[c].Data;
            var o = MemoryMarshal.Cast<byte, int>(d.Buffers[1].Span).Slice(d.Offset);
            var start = o[rowOf[i]];
            d.Buffers[2].Span.Slice(start, o[rowOf[i] + 1] - start).CopyTo(bytes.AsSpan(offsets[i]));
        }
        return new ArrayData(type, n, nulls, 0, [validity, new ArrowBuffer(MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), new ArrowBuffer(bytes)]);
    }

    private static bool IsValid(ArrayData data, int row)
    {
        if (data.NullCount == 0 || data.Buffers[0].IsEmpty) return true;
        var bit = data.Offset + row;
        return (data.Buffers[0].Span[bit >> 3] & (1 << (bit & 7))) != 0;
    }
}
