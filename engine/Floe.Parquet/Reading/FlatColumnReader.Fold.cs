using System.Runtime.InteropServices;
using Floe.Core.Types;
using Floe.Kernels.Bitmaps;
using Parquet.Meta;

namespace Floe.Parquet.Reading;

internal sealed partial class FlatColumnReader
{
    // Fold mode: each page's values go to a sink block by block, with a mask of the rows that are valid and selected;
    // nothing the size of the row group is built. Blocks are 4096 rows (32 KiB of longs): a gathered block is still
    // in L1/L2 when the sink reads it.
    private const int FoldBlock = 4096;
    private IValueBlockSink? _sink;
    private ulong[]? _foldSelection;

    [ThreadStatic]
    private static byte[]? t_foldValues;

    [ThreadStatic]
    private static ulong[]? t_foldMask;

    [ThreadStatic]
    private static ulong[]? t_foldValid;

    [ThreadStatic]
    private static ulong[]? t_foldSelection;

    /// <summary>True when <see cref="TryFold"/> covers <paramref name="leaf"/> read as <paramref name="target"/>: fixed-width values only.</summary>
    public static bool CanFold(FileSchemaNode leaf, PrimitiveType target, CompressionCodec codec) =>
        CanRead(leaf, target, codec) && leaf.Element.Type != global::Parquet.Meta.Type.BYTE_ARRAY;

    /// <summary>
    /// Decodes the first <paramref name="length"/> bytes of <paramref name="chunk"/> (<paramref name="rows"/> rows) and hands its values to <paramref name="sink"/>
    /// block by block, in row order: the non-null values only, in the target type's Arrow layout, with a mask of those
    /// the rows of <paramref name="selection"/> select (one bit per chunk row; null: every row). False when a
    /// page uses a layout this reader does not cover; the sink may then have seen some blocks already, so callers fold
    /// into scratch state and keep it only on success.
    /// </summary>
    public static bool TryFold(byte[] chunk, int length, FileSchemaNode leaf, ColumnMetaData meta, PrimitiveType target, int rows, ulong[]? selection, IValueBlockSink sink)
    {
        // Constructed like the dictionary-filter mode: no output of the row group's size is allocated.
        var reader = new FlatColumnReader(leaf, meta.Codec, target, rows, System.Array.Empty<int>()) { _sink = sink, _foldSelection = selection };
        return reader.Decode(chunk.AsSpan(0, length));
    }

    private bool DecodeFold(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        if (_strings || !Supported(encoding, strings: false)) return false;
        var words = (count + 63) >> 6;
        // Definition levels straight to a validity bitmap; the values a page stores are its non-null ones, dense, and
        // the sink takes them dense: a null contributes to no aggregate, so nothing is scattered back to row slots.
        var nonNull = count;
        Span<ulong> valid = default;
        if (_leaf.DefinitionLevel > 0)
        {
            valid = Scratch(ref t_foldValid, words);
            RleHybrid.DecodeBits(levels, count, valid);
            nonNull = Bitmap.PopCount(valid, count);
            if (nonNull == count) valid = default;
        }
        if (nonNull == 0) return true;
        Span<ulong> mask = default;
        if (_foldSelection is not null)
        {
            // The selection over the page's rows, then (with nulls) compacted to the non-null values.
            var rowsSelected = Scratch(ref t_foldSelection, words);
            CopyBits(_foldSelection, _chunkRow, rowsSelected, count);
            if (valid.IsEmpty)
            {
                mask = rowsSelected;
            }
            else
            {
                mask = Scratch(ref t_foldMask, (nonNull + 63) >> 6);
                Compact(rowsSelected, valid, mask);
            }
            if (mask.IndexOfAnyExcept(0UL) < 0) return true; // no selected value in the page
        }
        Span<int> indices = default;
        var dictionary = IsDictionary(encoding);
        if (dictionary)
        {
            if (_dictCount == 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary-encoded page without a dictionary");
            if (_indices.Length < nonNull) _indices = t_indices = GC.AllocateUninitializedArray<int>(nonNull);
            indices = _indices.AsSpan(0, nonNull);
            RleHybrid.Decode(data[1..], data[0], indices);
            var bad = indices.IndexOfAnyExceptInRange(0, _dictCount - 1);
            if (bad >= 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary index {indices[bad]} out of range");
        }
        var width = _outputWidth;
        if (_physicalWidth == width && encoding is Encoding.PLAIN)
        {
            // PLAIN values are already the output layout: the page itself is the block.
            if (data.Length < nonNull * width) throw new InvalidDataException($"column '{_leaf.Name}': PLAIN page shorter than its {nonNull} values");
            _sink!.Add(data[..(nonNull * width)], mask, nonNull);
            return true;
        }
        var scratch = Scratch(ref t_foldValues, Math.Max(FoldBlock, dictionary && _physicalWidth == width ? 0 : nonNull) * width);
        if (dictionary && _physicalWidth == width)
        {
            // The common case: gather one block of dictionary values, fold it while it is hot, next block.
            for (var start = 0; start < nonNull; start += FoldBlock)
            {
                var n = Math.Min(FoldBlock, nonNull - start);
                var blockMask = mask.IsEmpty ? default : mask.Slice(start >> 6, (n + 63) >> 6);
                if (!blockMask.IsEmpty && blockMask.IndexOfAnyExcept(0UL) < 0) continue;
                var output = scratch[..(n * width)];
                var blockIndices = indices.Slice(start, n);
                if (width == 4) Gather(MemoryMarshal.Cast<byte, int>(_dictFixed!.AsSpan(0, _dictCount * 4)), blockIndices, MemoryMarshal.Cast<byte, int>(output));
                else Gather(MemoryMarshal.Cast<byte, long>(_dictFixed!.AsSpan(0, _dictCount * 8)), blockIndices, MemoryMarshal.Cast<byte, long>(output));
                _sink!.Add(output, blockMask, n);
            }
            return true;
        }
        // Widening, delta or byte-stream-split pages: the non-null values decoded dense, as the array path does.
        var values = scratch[..(nonNull * width)];
        DecodeFixed(data, nonNull, nonNull, default, encoding, indices, values);
        _sink!.Add(values, mask, nonNull);
        return true;
    }

    private static Span<T> Scratch<T>(ref T[]? cache, int length)
    {
        if (cache is null || cache.Length < length) cache = GC.AllocateUninitializedArray<T>(Math.Max(length, 64));
        return cache.AsSpan(0, length);
    }

    /// <summary>
    /// Keeps, for each set bit of <paramref name="valid"/> in order, the matching bit of <paramref name="rows"/>,
    /// packed from bit 0 of <paramref name="destination"/> (a parallel bit extract per word).
    /// </summary>
    internal static void Compact(ReadOnlySpan<ulong> rows, ReadOnlySpan<ulong> valid, Span<ulong> destination)
    {
        destination.Clear();
        var at = 0;
        for (var w = 0; w < valid.Length; w++)
        {
            var v = valid[w];
            if (v == 0) continue;
            ulong bits;
            if (System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported)
            {
                bits = System.Runtime.Intrinsics.X86.Bmi2.X64.ParallelBitExtract(rows[w], v);
            }
            else
            {
                bits = 0;
                var k = 0;
                for (var m = v; m != 0; m &= m - 1, k++)
                {
                    if ((rows[w] & (m & (0 - m))) != 0) bits |= 1UL << k;
                }
            }
            var n = System.Numerics.BitOperations.PopCount(v);
            var shift = at & 63;
            destination[at >> 6] |= bits << shift;
            if (shift != 0 && shift + n > 64) destination[(at >> 6) + 1] |= bits >> (64 - shift);
            at += n;
        }
    }

    /// <summary>Bits [<paramref name="start"/>, start + <paramref name="count"/>) of <paramref name="source"/> into <paramref name="destination"/> from bit 0, tail cleared.</summary>
    internal static void CopyBits(ReadOnlySpan<ulong> source, int start, Span<ulong> destination, int count)
    {
        var words = (count + 63) >> 6;
        var word = start >> 6;
        var shift = start & 63;
        for (var w = 0; w < words; w++)
        {
            var low = source[word + w] >> shift;
            if (shift != 0 && word + w + 1 < source.Length) low |= source[word + w + 1] << (64 - shift);
            destination[w] = low;
        }
        if ((count & 63) != 0) destination[words - 1] &= (1UL << (count & 63)) - 1;
    }
}
