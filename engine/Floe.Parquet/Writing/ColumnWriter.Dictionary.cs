using System.Buffers.Binary;
using Apache.Arrow;

namespace Floe.Parquet.Writing;

/// <summary>
/// Dictionary encoding of byte-array columns: each row group keeps its distinct values (PLAIN encoded) and the
/// rows as indices, written as a dictionary page plus RLE_DICTIONARY data pages. Repeated strings (categories,
/// entity keys) shrink to a few bits per row, which also leaves far less for zstd to compress. A row group whose
/// dictionary outgrows <see cref="ParquetWriterOptions.DictionaryPageBytes"/> falls back to PLAIN, and the column
/// stays PLAIN from then on; data pages of that row group already written keep the dictionary, so its chunk holds
/// a dictionary page, RLE_DICTIONARY pages and then PLAIN ones (as parquet-mr writes a fallback). Fixed-width columns share the page writing (see ColumnWriter.NumericDictionary.cs).
/// </summary>
internal sealed partial class ColumnWriter
{
    private readonly GrowableBuffer _dictionary = new(1 << 12);
    private int[] _dictionaryOffsets = new int[256];
    private int[] _buckets = new int[1024];
    private int _dictionaryCount;
    private bool _dictionaryMode;
    private bool _dictionaryAbandoned;

    /// <summary>Whether the buffered row group is dictionary encoded.</summary>
    public bool DictionaryEncoded => _dictionaryMode;

    // Integer columns written delta-encoded skip the dictionary: on sorted or slowly changing values (event times,
    // running counts) delta took about half the bytes of dictionary indices (see bench/RESULTS.md).
    private void InitDictionary() =>
        _dictionaryMode = (Descriptor.Kind == ColumnKind.ByteArray || IsFixedWidthDictionaryKind(Descriptor.Kind))
            && !(_options.DeltaIntegers && Descriptor.Kind is ColumnKind.Int32 or ColumnKind.Int64)
            && _options.DictionaryPageBytes > 0 && !_dictionaryAbandoned;

    private void ResetDictionary()
    {
        ClearDictionary();
        InitDictionary();
    }

    private void ClearDictionary()
    {
        if (_dictionaryCount > 0)
        {
            if (Descriptor.Kind == ColumnKind.ByteArray) System.Array.Clear(_buckets);
            else System.Array.Clear(_slots);
        }
        _dictionary.Length = 0;
        _dictionaryCount = 0;
        _dictionaryValues = 0;
        _dictionarySampled = false;
    }

    private void AppendDictionaryIndices(BinaryArray arr, int start, int count, bool hasNulls)
    {
        var offsets = arr.ValueOffsets.Slice(start, count + 1);
        var data = arr.Values;
        var dest = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(_values.GetSpan(count * 4)[..(count * 4)]);
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            if (hasNulls && !IsValid(arr, start + i)) continue;
            dest[n++] = IndexOf(data.Slice(offsets[i], offsets[i + 1] - offsets[i]));
        }
        _values.Length += n * 4;
        if (_dictionary.Length > _options.DictionaryPageBytes) AbandonDictionary(forFile: true);
    }

    private int IndexOf(ReadOnlySpan<byte> value)
    {
        var hash = Hash(value);
        var mask = _buckets.Length - 1;
        var slot = hash & mask;
        while (true)
        {
            var entry = _buckets[slot] - 1;
            if (entry < 0) break;
            if (Entry(entry).SequenceEqual(value)) return entry;
            slot = (slot + 1) & mask;
        }
        var index = _dictionaryCount++;
        if (index == _dictionaryOffsets.Length) System.Array.Resize(ref _dictionaryOffsets, index * 2);
        _dictionaryOffsets[index] = _dictionary.Length;
        var span = _dictionary.Reserve(4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
        value.CopyTo(span[4..]);
        _buckets[slot] = index + 1;
        MergeBytes(value, value);
        if (_dictionaryCount * 2 > _buckets.Length) Rehash();
        return index;
    }

    private ReadOnlySpan<byte> Entry(int index)
    {
        var offset = _dictionaryOffsets[index];
        var span = _dictionary.WrittenSpan;
        var length = BinaryPrimitives.ReadInt32LittleEndian(span[offset..]);
        return span.Slice(offset + 4, length);
    }

    private void Rehash()
    {
        _buckets = new int[_buckets.Length * 2];
        var mask = _buckets.Length - 1;
        for (var i = 0; i < _dictionaryCount; i++)
        {
            var slot = Hash(Entry(i)) & mask;
            while (_buckets[slot] != 0) slot = (slot + 1) & mask;
            _buckets[slot] = i + 1;
        }
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        var h = new HashCode();
        h.AddBytes(value);
        return h.ToHashCode() & int.MaxValue;
    }

    /// <summary>
    /// Rewrites the buffered indices as PLAIN values and stops dictionary encoding the row group, and with
    /// <paramref name="forFile"/> every later one too.
    /// </summary>
    private void AbandonDictionary(bool forFile)
    {
        if (Descriptor.Kind == ColumnKind.ByteArray)
        {
            RestoreByteArrayValues();
        }
        else
        {
            var n = _values.Length / 4;
            _values.Ensure(n * Descriptor.Width - _values.Length);
            _values.Length = n * Descriptor.Width;
            RestoreFixedWidthValues(n);
        }
        _dictionaryMode = false;
        KeepDictionaryForSealedPages();
        ClearDictionary();
        if (forFile)
        {
            _dictionaryAbandoned = true;
            ReleaseSlots();
        }
    }

    private void RestoreByteArrayValues()
    {
        var indices = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(_values.WrittenSpan).ToArray();
        _values.Length = 0;
        foreach (var index in indices)
        {
            var value = Entry(index);
            var span = _values.Reserve(4 + value.Length);
            BinaryPrimitives.WriteInt32LittleEndian(span, value.Length);
            value.CopyTo(span[4..]);
        }
    }

    /// <summary>
    /// Compresses the dictionary into the chunk's dictionary page (which goes in front of the data pages) and counts
    /// its raw size (header included) in the chunk's uncompressed size.
    /// </summary>
    private void WriteDictionaryPage()
    {
        try
        {
            WriteDictionaryPageInScratch();
        }
        finally
        {
            ReturnScratch();
        }
    }

    /// <summary><see cref="WriteDictionaryPage"/>, in page buffers borrowed for the call.</summary>
    private void WriteDictionaryPageInScratch()
    {
        CompressedScratch.Length = 0;
        var compressedSize = _compressor.Compress(_dictionary.WrittenSpan, CompressedScratch);
        _header.Reset();
        _header.BeginStruct();
        _header.FieldI32(1, 2); // DICTIONARY_PAGE
        _header.FieldI32(2, _dictionary.Length);
        _header.FieldI32(3, compressedSize);
        _header.FieldStruct(7);
        _header.FieldI32(1, _dictionaryCount);
        _header.FieldI32(2, EncodingPlain);
        _header.EndStruct();
        _header.EndStruct();
        _dictionaryPage.Length = 0;
        _dictionaryPage.Append(_header.WrittenSpan);
        _dictionaryPage.Append(CompressedScratch.WrittenSpan);
        _chunkUncompressed += _header.Length + _dictionary.Length;
    }

    /// <summary>
    /// When the dictionary is dropped after data pages of this row group used it, those pages keep it: its page is
    /// written now, and later pages are not dictionary-encoded (as parquet-mr falls back).
    /// </summary>
    private void KeepDictionaryForSealedPages()
    {
        if (_dictionaryPages > 0) WriteDictionaryPage();
    }

    /// <summary>
    /// Appends RLE_DICTIONARY values: the bit width, then the indices in the RLE / bit-packing hybrid. Runs of at
    /// least 8 equal indices (sorted keys, repeated counts) become RLE runs; the rest is bit-packed in groups of 8.
    /// </summary>
    private void WriteDictionaryIndices(ReadOnlySpan<byte> indexBytes)
    {
        var indices = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(indexBytes);
        var width = IndexBitWidth(_dictionaryCount);
        PageScratch.Reserve(1)[0] = (byte)width;
        var n = indices.Length;
        var literalStart = 0;
        var i = 0;
        while (i < n)
        {
            var v = indices[i];
            var j = i + 1;
            while (j < n && indices[j] == v) j++;
            if (j - i >= 8)
            {
                // Bit-packed groups hold 8 values, so the run first tops up the pending literals to a full group.
                var pad = (8 - ((i - literalStart) & 7)) & 7;
                if (j - i - pad >= 8)
                {
                    if (i + pad > literalStart) WriteBitPacked(indices[literalStart..(i + pad)], width);
                    WriteVarint((uint)(j - i - pad) << 1);
                    var value = PageScratch.Reserve((width + 7) >> 3);
                    for (var b = 0; b < value.Length; b++) value[b] = (byte)(v >> (8 * b));
                    literalStart = j;
                }
            }
            i = j;
        }
        if (literalStart < n) WriteBitPacked(indices[literalStart..], width);
    }

    /// <summary>One bit-packed run; a partial last group is padded with zeros (only the page's last run may have one).</summary>
    /// <remarks>
    /// Bits gather in a 64-bit word written out 8 bytes at a time (a byte at a time, the rolling maxima's ~17-bit
    /// indices cost ~29 instructions each; callgrind, 1M-event feature job). Index bits past the word go to the next.
    /// </remarks>
    private void WriteBitPacked(ReadOnlySpan<int> indices, int width)
    {
        var groups = (indices.Length + 7) >> 3;
        WriteVarint(((uint)groups << 1) | 1);
        var dest = PageScratch.Reserve(groups * width);
        ulong accumulator = 0;
        var bits = 0;
        var pos = 0;
        foreach (var index in indices)
        {
            var value = (ulong)(uint)index;
            accumulator |= value << bits;
            bits += width;
            if (bits >= 64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(dest.Slice(pos, 8), accumulator);
                pos += 8;
                bits -= 64;
                // The value's top `bits` bits did not fit (a shift by 64 would keep them all: none are left then).
                accumulator = bits == 0 ? 0 : value >> (width - bits);
            }
        }
        // What is left (fewer than 64 bits), then the zero padding of the last group.
        var rest = dest[pos..];
        var tail = Math.Min(rest.Length, 8);
        for (var b = 0; b < tail; b++) rest[b] = (byte)(accumulator >> (8 * b));
        rest[tail..].Clear();
    }
}
