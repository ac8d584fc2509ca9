using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Floe.Core.Types;
using Parquet.Meta;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Reading;

internal sealed partial class FlatColumnReader
{
    // Selective mode: only the chunk rows in _selected (ascending) are output; _row counts output rows, _chunkRow the
    // chunk rows the pages have covered.
    private readonly int[]? _selected;
    private readonly int _chunkRows;
    private int _chunkRow;
    private int _nextSelected;

    /// <summary>
    /// Decodes only rows <paramref name="selected"/> (ascending, within the <paramref name="rows"/> rows of
    /// <paramref name="chunk"/>) into an array of selected.Length values: pages are decompressed and their dictionary
    /// indices unpacked, but only selected values are gathered. Null when a page uses a layout this mode does not
    /// cover (delta and byte-stream-split pages), so the caller decodes whole and takes.
    /// </summary>
    public static Apache.Arrow.IArrowArray? TryReadSelected(ReadOnlySpan<byte> chunk, FileSchemaNode leaf, ColumnMetaData meta, PrimitiveType target, int rows, int[] selected)
    {
        var reader = new FlatColumnReader(leaf, meta.Codec, target, rows, selected);
        return reader.Decode(chunk) ? reader.Build() : null;
    }

    private bool DecodeAny(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        if (_sink is not null)
        {
            if (!DecodeFold(levels, data, count, encoding)) return false;
            _chunkRow += count;
            return true;
        }
        if (_predicate is not null)
        {
            if (!DecodeFilter(levels, data, count, encoding)) return false;
            _chunkRow += count;
            return true;
        }
        if (_selected is null)
        {
            DecodePage(levels, data, count, encoding);
            _chunkRow += count;
            return true;
        }
        if (!DecodeSelected(levels, data, count, encoding)) return false;
        _chunkRow += count;
        return true;
    }

    [ThreadStatic]
    private static int[]? t_ranks;

    [ThreadStatic]
    private static int[]? t_positions;

    [ThreadStatic]
    private static int[]? t_selectedIndices;

    private bool DecodeSelected(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        if (encoding is not (Encoding.PLAIN or Encoding.RLE_DICTIONARY or Encoding.PLAIN_DICTIONARY)) return false;
        var selected = _selected!;
        var pageEnd = _chunkRow + count;
        var first = _nextSelected;
        var end = first;
        while (end < selected.Length && selected[end] < pageEnd) end++;
        _nextSelected = end;
        if (end == first) return true; // nothing selected here: the page is skipped after decompression
        var n = end - first;
        // Each selected row's rank among the page's stored (non-null) values, -1 for a null: definition levels go to a
        // bitmap and ranks are prefix popcounts, so no level is expanded per row.
        var ranks = Scratch(ref t_ranks, n);
        var nonNull = count;
        if (_leaf.DefinitionLevel > 0)
        {
            var valid = Scratch(ref t_foldValid, (count + 63) >> 6);
            RleHybrid.DecodeBits(levels, count, valid);
            nonNull = Kernels.Bitmaps.Bitmap.PopCount(valid, count);
            var word = 0;
            var before = 0;
            for (var k = 0; k < n; k++)
            {
                var local = selected[first + k] - _chunkRow;
                var w = local >> 6;
                for (; word < w; word++) before += System.Numerics.BitOperations.PopCount(valid[word]);
                var bits = valid[w];
                var bit = local & 63;
                ranks[k] = ((bits >> bit) & 1) == 0 ? -1 : before + System.Numerics.BitOperations.PopCount(bits & ((1UL << bit) - 1));
            }
        }
        else
        {
            for (var k = 0; k < n; k++) ranks[k] = selected[first + k] - _chunkRow;
        }
        Span<int> indices = default;
        var dictionary = encoding is not Encoding.PLAIN;
        if (dictionary)
        {
            // Only the selected rows' indices are unpacked, where they sit in the page's runs.
            var positions = Scratch(ref t_positions, n);
            var m = 0;
            foreach (var rank in ranks)
            {
                if (rank >= 0) positions[m++] = rank;
            }
            if (m > 0)
            {
                if (_dictCount == 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary-encoded page without a dictionary");
                indices = Scratch(ref t_selectedIndices, m);
                RleHybrid.DecodeAt(data[1..], data[0], positions[..m], indices);
                var bad = indices.IndexOfAnyExceptInRange(0, _dictCount - 1);
                if (bad >= 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary index {indices[bad]} out of range");
            }
        }
        else if (!_strings && data.Length < nonNull * _physicalWidth)
        {
            throw new InvalidDataException($"column '{_leaf.Name}': PLAIN page shorter than its {nonNull} values");
        }
        // PLAIN strings are found by walking the lengths up to the last selected value.
        var stringPosition = 0;
        var stringRank = 0;
        var next = 0;
        for (var k = 0; k < n; k++)
        {
            var rank = ranks[k];
            var row = _row++;
            if (rank < 0)
            {
                _nulls++;
                if (_strings) _offsets![row + 1] = _bytesLength;
                else Fixed.Slice(row * _outputWidth, _outputWidth).Clear();
                continue;
            }
            if (_validity is not null) _validity[row >> 3] |= (byte)(1 << (row & 7));
            if (_strings)
            {
                ReadOnlySpan<byte> value;
                if (dictionary)
                {
                    var index = indices[next++];
                    value = _dictBytes.AsSpan(_dictOffsets![index], _dictOffsets[index + 1] - _dictOffsets[index]);
                }
                else
                {
                    int length;
                    while (true)
                    {
                        if (stringPosition + 4 > data.Length) throw new InvalidDataException($"column '{_leaf.Name}': PLAIN page shorter than its {nonNull} values");
                        length = BinaryPrimitives.ReadInt32LittleEndian(data[stringPosition..]);
                        if (length < 0 || length > data.Length - stringPosition - 4) throw new InvalidDataException($"column '{_leaf.Name}': bad value length {length}");
                        if (stringRank == rank) break;
                        stringPosition += 4 + length;
                        stringRank++;
                    }
                    value = data.Slice(stringPosition + 4, length);
                }
                Append(value);
                _offsets![row + 1] = _bytesLength;
                continue;
            }
            var source = dictionary
                ? _dictFixed.AsSpan(indices[next++] * _physicalWidth, _physicalWidth)
                : data.Slice(rank * _physicalWidth, _physicalWidth);
            var output = Fixed.Slice(row * _outputWidth, _outputWidth);
            // One value is 4 or 8 bytes: a register move, not a span copy's call.
            if (_physicalWidth == _outputWidth)
            {
                if (_physicalWidth == 8) MemoryMarshal.Write(output, MemoryMarshal.Read<long>(source));
                else MemoryMarshal.Write(output, MemoryMarshal.Read<int>(source));
            }
            else if (_leaf.Element.Type == ParquetType.FLOAT) MemoryMarshal.Write(output, (double)MemoryMarshal.Read<float>(source));
            else MemoryMarshal.Write(output, (long)MemoryMarshal.Read<int>(source));
        }
        return true;
    }

    /// <summary>
    /// Decodes a page's definition levels; returns its non-null count, with <paramref name="defs"/> empty when the
    /// page has no nulls (the usual case, so callers take their dense path).
    /// </summary>
    private int DecodeDefinitions(ReadOnlySpan<byte> levels, int count, out Span<int> defs)
    {
        defs = default;
        if (_leaf.DefinitionLevel == 0) return count;
        if (_levels.Length < count) _levels = t_levels = GC.AllocateUninitializedArray<int>(count);
        defs = _levels.AsSpan(0, count);
        RleHybrid.Decode(levels, 1, defs);
        if (defs.IndexOfAnyExcept(1) < 0)
        {
            defs = default;
            return count;
        }
        var nonNull = 0;
        foreach (var d in defs) nonNull += d == 1 ? 1 : 0;
        return nonNull;
    }
}
