using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Parquet.Meta;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Reading;

/// <summary>
/// Decodes a flat (top-level, non-repeated) column chunk straight into an Arrow array: PLAIN and dictionary pages,
/// v1 and v2 data pages, an optional column's definition levels, every codec the writers use. No per-value
/// allocation: fixed-width values land in one buffer, strings in one offsets + one bytes buffer. Layouts it does
/// not cover (other encodings, types needing conversion) are reported by <see cref="TryRead"/> returning null so
/// the caller can fall back to the general reader.
/// </summary>
internal sealed partial class FlatColumnReader
{
    private readonly FileSchemaNode _leaf;
    private readonly CompressionCodec _codec;
    private readonly PrimitiveType _target;
    private readonly int _rows;
    private readonly int _physicalWidth;
    private readonly int _outputWidth;
    private readonly bool _strings;
    private readonly byte[]? _validity;
    // Fixed-width values go into an array of their own type (one of these), handed to Arrow through a typed view
    // (ArrayByteMemory): a reader of the batch that wants the values as such an array, the feature engine, takes it
    // as it is instead of copying it out of a byte buffer.
    private readonly long[]? _longs;
    private readonly double[]? _doubles;
    private readonly int[]? _ints;
    private readonly float[]? _floats;
    private readonly int[]? _offsets;
    private byte[] _bytes = System.Array.Empty<byte>();
    private int _bytesLength;
    private int _row;
    private int _nulls;
    private byte[]? _dictFixed;
    private int[]? _dictOffsets;
    private byte[]? _dictBytes;
    private int _dictCount;
    // Page-sized scratch, kept per thread: a chunk's reader is created, decodes and is dropped on one thread, and
    // fresh arrays per chunk were zeroed garbage of the page's size.
    [ThreadStatic]
    private static int[]? t_levels;
    [ThreadStatic]
    private static int[]? t_indices;
    private int[] _levels = t_levels ?? System.Array.Empty<int>();
    private int[] _indices = t_indices ?? System.Array.Empty<int>();

    private FlatColumnReader(FileSchemaNode leaf, CompressionCodec codec, PrimitiveType target, int rows, int[]? selected = null)
    {
        _selected = selected;
        _chunkRows = rows;
        if (selected is not null) rows = selected.Length;
        _leaf = leaf;
        _codec = codec;
        _target = target;
        _rows = rows;
        _strings = leaf.Element.Type == ParquetType.BYTE_ARRAY;
        _physicalWidth = leaf.Element.Type is ParquetType.INT32 or ParquetType.FLOAT ? 4 : 8;
        _outputWidth = target.Id is TypeId.Int or TypeId.Date or TypeId.Float ? 4 : 8;
        if (leaf.DefinitionLevel > 0) _validity = new byte[(rows + 7) >> 3];
        if (_strings) _offsets = new int[rows + 1];
        // Every slot is written, nulls as zero.
        else if (target.Id is TypeId.Double) _doubles = GC.AllocateUninitializedArray<double>(rows);
        else if (target.Id is TypeId.Float) _floats = GC.AllocateUninitializedArray<float>(rows);
        else if (_outputWidth == 4) _ints = GC.AllocateUninitializedArray<int>(rows);
        else _longs = GC.AllocateUninitializedArray<long>(rows);
    }

    // The fixed-width values' bytes.
    private Span<byte> Fixed =>
        _longs is not null ? MemoryMarshal.AsBytes(_longs.AsSpan())
        : _doubles is not null ? MemoryMarshal.AsBytes(_doubles.AsSpan())
        : _ints is not null ? MemoryMarshal.AsBytes(_ints.AsSpan())
        : MemoryMarshal.AsBytes(_floats.AsSpan());

    private ReadOnlyMemory<byte> FixedMemory =>
        _longs is not null ? new ArrayByteMemory<long>(_longs, 0, _longs.Length).Memory
        : _doubles is not null ? new ArrayByteMemory<double>(_doubles, 0, _doubles.Length).Memory
        : _ints is not null ? new ArrayByteMemory<int>(_ints, 0, _ints.Length).Memory
        : new ArrayByteMemory<float>(_floats!, 0, _floats!.Length).Memory;

    /// <summary>True when <paramref name="leaf"/> read as <paramref name="target"/> is a layout this reader decodes.</summary>
    public static bool CanRead(FileSchemaNode leaf, PrimitiveType target, CompressionCodec codec)
    {
        if (leaf.RepetitionLevel != 0 || leaf.DefinitionLevel > 1 || leaf.IsRepeated) return false;
        if (codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY or CompressionCodec.GZIP or CompressionCodec.ZSTD)) return false;
        var e = leaf.Element;
        var logical = e.LogicalType;
        if (logical?.DECIMAL is not null || e.ConvertedType == ConvertedType.DECIMAL) return false;
        switch (e.Type)
        {
            case ParquetType.INT32:
                if (logical?.TIME is not null || e.ConvertedType is ConvertedType.TIME_MILLIS) return false;
                if (logical?.INTEGER is { IsSigned: false } || e.ConvertedType is ConvertedType.UINT_8 or ConvertedType.UINT_16 or ConvertedType.UINT_32) return false;
                return target.Id is TypeId.Int or TypeId.Date or TypeId.Long;
            case ParquetType.INT64:
                if (logical?.INTEGER is { IsSigned: false } || e.ConvertedType is ConvertedType.UINT_64) return false;
                return target.Id switch
                {
                    TypeId.Long => logical?.TIMESTAMP is null && logical?.TIME is null && e.ConvertedType is null or ConvertedType.INT_64,
                    TypeId.Timestamp or TypeId.TimestampTz =>
                        logical?.TIMESTAMP?.Unit?.MICROS is not null || (logical is null && e.ConvertedType == ConvertedType.TIMESTAMP_MICROS),
                    TypeId.TimestampNs or TypeId.TimestampTzNs => logical?.TIMESTAMP?.Unit?.NANOS is not null,
                    TypeId.Time => logical?.TIME?.Unit?.MICROS is not null || (logical is null && e.ConvertedType == ConvertedType.TIME_MICROS),
                    _ => false,
                };
            case ParquetType.FLOAT:
                return target.Id is TypeId.Float or TypeId.Double;
            case ParquetType.DOUBLE:
                return target.Id is TypeId.Double;
            case ParquetType.BYTE_ARRAY:
                return target.Id is TypeId.String or TypeId.Binary;
            default:
                return false;
        }
    }

    /// <summary>
    /// Decodes <paramref name="chunk"/> (the column chunk's bytes from its first page) into an array of
    /// <paramref name="rows"/> values, or returns null when a page uses a layout this reader does not cover.
    /// </summary>
    /// <param name="chunk">The chunk's bytes.</param>
    /// <param name="leaf">The column.</param>
    /// <param name="meta">The chunk's metadata.</param>
    /// <param name="target">The type read as.</param>
    /// <param name="rows">The chunk's rows.</param>
    /// <param name="pages">Where the large-page buffer comes from and goes back to; null: a buffer of its own.</param>
    public static IArrowArray? TryRead(ReadOnlySpan<byte> chunk, FileSchemaNode leaf, ColumnMetaData meta, PrimitiveType target, int rows, PageBuffers? pages = null)
    {
        CheckPagesHoldRows(chunk, leaf.Name, rows);
        var reader = new FlatColumnReader(leaf, meta.Codec, target, rows) { _pages = pages };
        try
        {
            return reader.Decode(chunk) ? reader.Build() : null;
        }
        finally
        {
            if (pages is not null && reader._largePage is { } page) pages.Return(page);
        }
    }

    /// <summary>
    /// Reads the bytes of a column chunk (dictionary page included) from <paramref name="stream"/> into
    /// <paramref name="buffer"/>, replaced by a fresh uninitialized array when null or too small (its first
    /// <paramref name="length"/> bytes are the chunk; decoded arrays never point into it). Readers pass a fresh one per
    /// chunk: buffers rented from <c>ArrayPool.Shared</c> stayed in the process-wide pool after the read, and buffers
    /// kept by the reader stayed as long as it, both under feature computation's peak (10M events: 570 → ~525 MiB
    /// peak RSS with fresh buffers, ~547 with reader-kept ones; bench/RESULTS.md).
    /// </summary>
    public static void ReadChunk(Stream stream, ColumnMetaData meta, ref byte[]? buffer, out int length)
    {
        var start = meta.DictionaryPageOffset is > 0 && meta.DictionaryPageOffset < meta.DataPageOffset ? meta.DictionaryPageOffset.Value : meta.DataPageOffset;
        length = checked((int)meta.TotalCompressedSize);
        if (buffer is null || buffer.Length < length) buffer = GC.AllocateUninitializedArray<byte>(Math.Max(length, 1));
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(buffer, 0, length);
    }

    /// <summary>
    /// Walks the chunk's page headers (no page is decompressed) and throws unless its data pages claim at least
    /// <paramref name="rows"/> values: the reader's arrays are sized by the row group before any page is decoded, and a
    /// chunk claiming the rows its pages do not hold (the footer's row and value counts raised together) made it
    /// allocate and clear gigabytes only to refuse the chunk at its end. Pages claiming more are refused by the decode.
    /// </summary>
    private static void CheckPagesHoldRows(ReadOnlySpan<byte> chunk, string column, int rows)
    {
        long values = 0;
        var position = 0;
        while (values < rows && position < chunk.Length)
        {
            var header = FallbackChunkReader.PageHeaderInfo.Parse(chunk.Slice(position), out var headerLength);
            if (header.CompressedSize < 0 || header.CompressedSize > chunk.Length - position - headerLength)
            {
                throw new InvalidDataException($"column '{column}': page of {header.CompressedSize} bytes overruns its chunk");
            }
            if (header.Type is PageType.DATA_PAGE or PageType.DATA_PAGE_V2)
            {
                if (header.NumValues < 0) throw new InvalidDataException($"column '{column}': a page has {header.NumValues} values");
                values += header.NumValues;
            }
            position += headerLength + header.CompressedSize;
        }
        if (values < rows) throw new InvalidDataException($"column '{column}': pages hold {values} values, the row group has {rows}");
    }

    private bool Decode(ReadOnlySpan<byte> chunk)
    {
        var position = 0;
        while (_chunkRow < _chunkRows && position < chunk.Length)
        {
            var header = FallbackChunkReader.PageHeaderInfo.Parse(chunk.Slice(position), out var headerLength);
            position += headerLength;
            if (header.CompressedSize < 0 || position + header.CompressedSize > chunk.Length)
            {
                throw new InvalidDataException($"column '{_leaf.Name}': page of {header.CompressedSize} bytes overruns its chunk");
            }
            PageSizes.Check(_codec, header.CompressedSize, header.UncompressedSize, _leaf.Name);
            var body = chunk.Slice(position, header.CompressedSize);
            position += header.CompressedSize;
            // A dictionary page's count is the dictionary's size, which may exceed the rows of a page range.
            if (header.NumValues < 0 || (header.Type != PageType.DICTIONARY_PAGE && _chunkRow + header.NumValues > _chunkRows))
            {
                throw new InvalidDataException($"column '{_leaf.Name}': pages hold more than the row group's {_chunkRows} values");
            }
            switch (header.Type)
            {
                case PageType.DICTIONARY_PAGE:
                    {
                        if (header.Encoding is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY)) return false;
                        var rented = Decompress(body, header.UncompressedSize, out var data);
                        try
                        {
                            LoadDictionary(data, header.NumValues);
                        }
                        finally
                        {
                            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
                        }
                        break;
                    }
                case PageType.DATA_PAGE:
                    {
                        if (!Supported(header.Encoding, _strings)) return false;
                        if (TryDecompressInPlace(body, header.NumValues, header.UncompressedSize, header.Encoding)) break;
                        var rented = Decompress(body, header.UncompressedSize, out var data);
                        try
                        {
                            var levels = ReadOnlySpan<byte>.Empty;
                            if (_leaf.DefinitionLevel > 0)
                            {
                                var length = BinaryPrimitives.ReadInt32LittleEndian(data);
                                levels = data.Slice(4, length);
                                data = data[(4 + length)..];
                            }
                            if (!DecodeAny(levels, data, header.NumValues, header.Encoding)) return false;
                        }
                        finally
                        {
                            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
                        }
                        break;
                    }
                case PageType.DATA_PAGE_V2:
                    {
                        if (!Supported(header.Encoding, _strings) || header.RepetitionLength != 0) return false;
                        var levels = body[..header.DefinitionLength];
                        var values = body[header.DefinitionLength..];
                        byte[]? rented = null;
                        ReadOnlySpan<byte> data = values;
                        if (header.IsCompressed) rented = Decompress(values, header.UncompressedSize - header.DefinitionLength, out data);
                        try
                        {
                            if (!DecodeAny(levels, data, header.NumValues, header.Encoding)) return false;
                        }
                        finally
                        {
                            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
                        }
                        break;
                    }
                default:
                    break; // index pages carry nothing we need
            }
        }
        if (_chunkRow != _chunkRows || _row != _rows) throw new InvalidDataException($"column '{_leaf.Name}': pages hold {_chunkRow} values, the row group has {_chunkRows}");
        return true;
    }

    /// <summary>
    /// A required column's PLAIN page of values as wide as the output is the output's bytes as they are: zstd writes them
    /// straight into the output array, with no page buffer and no copy (1M-event feature bench: three 8 MB single-page
    /// columns, 24 MB of copying and ~6k page faults of fresh page buffers saved).
    /// </summary>
    private bool TryDecompressInPlace(ReadOnlySpan<byte> body, int count, int uncompressedSize, Encoding encoding)
    {
        if (_codec != CompressionCodec.ZSTD || encoding != Encoding.PLAIN || _leaf.DefinitionLevel > 0 || _strings
            || _physicalWidth != _outputWidth || _sink is not null || _predicate is not null || _selected is not null
            || (long)count * _outputWidth != uncompressedSize)
        {
            return false;
        }
        var output = Fixed.Slice(_row * _outputWidth, uncompressedSize);
        var written = ZstdDecoder.Decompress(body, output);
        if (written != uncompressedSize) throw new InvalidDataException($"column '{_leaf.Name}': page decompressed to {written} bytes, header says {uncompressedSize}");
        _row += count;
        _chunkRow += count;
        return true;
    }

    private static bool Supported(Encoding encoding, bool strings) =>
        encoding is Encoding.PLAIN or Encoding.RLE_DICTIONARY or Encoding.PLAIN_DICTIONARY
        || (!strings && encoding is Encoding.DELTA_BINARY_PACKED or Encoding.BYTE_STREAM_SPLIT);

    private static bool IsDictionary(Encoding encoding) => encoding is Encoding.RLE_DICTIONARY or Encoding.PLAIN_DICTIONARY;

    private void DecodePage(ReadOnlySpan<byte> levels, ReadOnlySpan<byte> data, int count, Encoding encoding)
    {
        var nonNull = count;
        Span<int> defs = default;
        if (_leaf.DefinitionLevel > 0)
        {
            if (_levels.Length < count) _levels = t_levels = GC.AllocateUninitializedArray<int>(count);
            defs = _levels.AsSpan(0, count);
            RleHybrid.Decode(levels, 1, defs);
            var validity = _validity!;
            if (defs.IndexOfAnyExcept(1) < 0)
            {
                // No nulls in the page (the usual case): set the bits in bulk, values are dense.
                Writing.Bits.SetOnes(validity, _row, count);
                defs = default;
            }
            else
            {
                nonNull = 0;
                for (var i = 0; i < count; i++)
                {
                    if (defs[i] == 1)
                    {
                        var row = _row + i;
                        validity[row >> 3] |= (byte)(1 << (row & 7));
                        nonNull++;
                    }
                }
                _nulls += count - nonNull;
            }
        }
        Span<int> indices = default;
        if (IsDictionary(encoding))
        {
            if (_dictCount == 0 && nonNull > 0) throw new InvalidDataException($"column '{_leaf.Name}': dictionary-encoded page without a dictionary");
            if (_indices.Length < nonNull) _indices = t_indices = GC.AllocateUninitializedArray<int>(nonNull);
            indices = _indices.AsSpan(0, nonNull);
            if (nonNull > 0)
            {
                RleHybrid.Decode(data[1..], data[0], indices);
                foreach (var index in indices)
                {
                    if ((uint)index >= (uint)_dictCount) throw new InvalidDataException($"column '{_leaf.Name}': dictionary index {index} out of range");
                }
            }
        }
        if (_strings) DecodeStrings(data, count, nonNull, defs, encoding is Encoding.PLAIN, indices);
        else DecodeFixed(data, count, nonNull, defs, encoding, indices, Fixed.Slice(_row * _outputWidth, count * _outputWidth));
        _row += count;
    }

    /// <summary>Decodes one page's <paramref name="count"/> fixed-width values into <paramref name="output"/> (nulls as zero).</summary>
    private void DecodeFixed(ReadOnlySpan<byte> data, int count, int nonNull, ReadOnlySpan<int> defs, Encoding encoding, ReadOnlySpan<int> indices, Span<byte> output)
    {
        var pw = _physicalWidth;
        ReadOnlySpan<byte> source;
        byte[]? gathered = null;
        if (encoding is Encoding.PLAIN)
        {
            if (data.Length < nonNull * pw) throw new InvalidDataException($"column '{_leaf.Name}': PLAIN page shorter than its {nonNull} values");
            source = data[..(nonNull * pw)];
        }
        else if (encoding is Encoding.BYTE_STREAM_SPLIT)
        {
            if (data.Length < (long)nonNull * pw) throw new InvalidDataException($"column '{_leaf.Name}': BYTE_STREAM_SPLIT page shorter than its {nonNull} values");
            gathered = ArrayPool<byte>.Shared.Rent(nonNull * pw);
            Encodings.ByteStreamSplit.Decode(data, pw, nonNull, gathered.AsSpan(0, nonNull * pw));
            source = gathered.AsSpan(0, nonNull * pw);
        }
        else if (encoding is Encoding.DELTA_BINARY_PACKED)
        {
            gathered = DecodeDelta(data, nonNull);
            source = gathered.AsSpan(0, nonNull * pw);
        }
        else if (defs.IsEmpty && pw == _outputWidth)
        {
            // No nulls and no widening: gather the dictionary values straight into the output, one pass, no copy.
            if (pw == 4) Gather(MemoryMarshal.Cast<byte, int>(_dictFixed!.AsSpan(0, _dictCount * 4)), indices, MemoryMarshal.Cast<byte, int>(output));
            else Gather(MemoryMarshal.Cast<byte, long>(_dictFixed!.AsSpan(0, _dictCount * 8)), indices, MemoryMarshal.Cast<byte, long>(output));
            return;
        }
        else
        {
            gathered = ArrayPool<byte>.Shared.Rent(nonNull * pw);
            var dict = _dictFixed!;
            if (pw == 4)
            {
                var d = MemoryMarshal.Cast<byte, int>(dict.AsSpan(0, _dictCount * 4));
                var o = MemoryMarshal.Cast<byte, int>(gathered.AsSpan(0, nonNull * 4));
                for (var i = 0; i < o.Length; i++) o[i] = d[indices[i]];
            }
            else
            {
                var d = MemoryMarshal.Cast<byte, long>(dict.AsSpan(0, _dictCount * 8));
                var o = MemoryMarshal.Cast<byte, long>(gathered.AsSpan(0, nonNull * 8));
                for (var i = 0; i < o.Length; i++) o[i] = d[indices[i]];
            }
            source = gathered.AsSpan(0, nonNull * pw);
        }
        try
        {
            if (pw == _outputWidth)
            {
                if (defs.IsEmpty)
                {
                    source.CopyTo(output);
                }
                else if (pw == 4)
                {
                    Scatter(MemoryMarshal.Cast<byte, int>(source), MemoryMarshal.Cast<byte, int>(output), defs);
                }
                else
                {
                    Scatter(MemoryMarshal.Cast<byte, long>(source), MemoryMarshal.Cast<byte, long>(output), defs);
                }
            }
            else if (_leaf.Element.Type == ParquetType.FLOAT)
            {
                WidenFloats(MemoryMarshal.Cast<byte, float>(source), MemoryMarshal.Cast<byte, double>(output), defs);
            }
            else
            {
                WidenInts(MemoryMarshal.Cast<byte, int>(source), MemoryMarshal.Cast<byte, long>(output), defs);
            }
        }
        finally
        {
            if (gathered is not null) ArrayPool<byte>.Shared.Return(gathered);
        }
    }

    private static void Gather<T>(ReadOnlySpan<T> dictionary, ReadOnlySpan<int> indices, Span<T> output)
        where T : unmanaged
    {
        for (var i = 0; i < output.Length; i++) output[i] = dictionary[indices[i]];
    }

    /// <summary>Decodes a DELTA_BINARY_PACKED page into a rented buffer of <paramref name="count"/> PLAIN values of the physical width.</summary>
    private byte[] DecodeDelta(ReadOnlySpan<byte> data, int count)
    {
        var wide = ArrayPool<long>.Shared.Rent(Math.Max(1, count));
        var output = ArrayPool<byte>.Shared.Rent(Math.Max(1, count * _physicalWidth));
        try
        {
            Encodings.DeltaBinaryPacked.Decode(data, wide.AsSpan(0, count));
            if (_physicalWidth == 8)
            {
                MemoryMarshal.AsBytes(wide.AsSpan(0, count)).CopyTo(output);
            }
            else
            {
                var narrow = MemoryMarshal.Cast<byte, int>(output.AsSpan(0, count * 4));
                for (var i = 0; i < count; i++) narrow[i] = unchecked((int)wide[i]);
            }
            return output;
        }
        catch (InvalidDataException e)
        {
            ArrayPool<byte>.Shared.Return(output);
            throw new InvalidDataException($"column '{_leaf.Name}': {e.Message}", e);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(wide);
        }
    }

    private static void Scatter<T>(ReadOnlySpan<T> source, Span<T> output, ReadOnlySpan<int> defs)
        where T : unmanaged
    {
        var next = 0;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = defs[i] == 1 ? source[next++] : default;
        }
    }

    // Concrete loops, not a converter delegate: a call per value cost more than the conversion itself.
    private static void WidenFloats(ReadOnlySpan<float> source, Span<double> output, ReadOnlySpan<int> defs)
    {
        if (defs.IsEmpty)
        {
            for (var i = 0; i < output.Length; i++) output[i] = source[i];
            return;
        }
        var next = 0;
        for (var i = 0; i < output.Length; i++) output[i] = defs[i] == 1 ? source[next++] : 0d;
    }

    private static void WidenInts(ReadOnlySpan<int> source, Span<long> output, ReadOnlySpan<int> defs)
    {
        if (defs.IsEmpty)
        {
            for (var i = 0; i < output.Length; i++) output[i] = source[i];
            return;
        }
        var next = 0;
        for (var i = 0; i < output.Length; i++) output[i] = defs[i] == 1 ? source[next++] : 0L;
    }

    private void DecodeStrings(ReadOnlySpan<byte> data, int count, int nonNull, ReadOnlySpan<int> defs, bool plain, ReadOnlySpan<int> indices)
    {
        var offsets = _offsets!;
        var position = 0;
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            if (defs.IsEmpty || defs[i] == 1)
            {
                ReadOnlySpan<byte> value;
                if (plain)
                {
                    if (position + 4 > data.Length) throw new InvalidDataException($"column '{_leaf.Name}': PLAIN page shorter than its {nonNull} values");
                    var length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
                    if (length < 0 || length > data.Length - position - 4) throw new InvalidDataException($"column '{_leaf.Name}': bad value length {length}");
                    value = data.Slice(position + 4, length);
                    position += 4 + length;
                }
                else
                {
                    var index = indices[next++];
                    value = _dictBytes.AsSpan(_dictOffsets![index], _dictOffsets[index + 1] - _dictOffsets[index]);
                }
                Append(value);
            }
            offsets[_row + i + 1] = _bytesLength;
        }
    }

    private void Append(ReadOnlySpan<byte> value)
    {
        if (_bytesLength + value.Length > _bytes.Length)
        {
            var grown = GC.AllocateUninitializedArray<byte>(Math.Max(_bytes.Length * 2, Math.Max(_bytesLength + value.Length, 1024)));
            _bytes.AsSpan(0, _bytesLength).CopyTo(grown);
            _bytes = grown;
        }
        value.CopyTo(_bytes.AsSpan(_bytesLength));
        _bytesLength += value.Length;
    }

    private void LoadDictionary(ReadOnlySpan<byte> data, int count)
    {
        // The declared count sizes allocations below, so it must be backed by bytes first: every PLAIN value takes
        // at least its width (4 length bytes for a byte array).
        var minimum = _strings ? 4 : Math.Max(1, _physicalWidth);
        if (count < 0 || (long)count * minimum > data.Length)
        {
            throw new InvalidDataException($"column '{_leaf.Name}': dictionary page declares {count} values but holds {data.Length} bytes");
        }
        _dictCount = count;
        if (!_strings)
        {
            if (data.Length < count * _physicalWidth) throw new InvalidDataException($"column '{_leaf.Name}': dictionary page shorter than its {count} values");
            _dictFixed = data[..(count * _physicalWidth)].ToArray();
            return;
        }
        var offsets = new int[count + 1];
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            // Compared by subtraction: position + 4 + length overflows for a length near int.MaxValue.
            if (length < 0 || length > data.Length - position - 4) throw new InvalidDataException($"column '{_leaf.Name}': bad dictionary value length {length}");
            position += 4 + length;
            offsets[i + 1] = offsets[i] + length;
        }
        var bytes = new byte[offsets[count]];
        position = 0;
        for (var i = 0; i < count; i++)
        {
            var length = offsets[i + 1] - offsets[i];
            data.Slice(position + 4, length).CopyTo(bytes.AsSpan(offsets[i]));
            position += 4 + length;
        }
        _dictOffsets = offsets;
        _dictBytes = bytes;
    }

    // The decompressed large page, reused by the chunk's next large page (see Decompress).
    private byte[]? _largePage;
    private PageBuffers? _pages;

    /// <summary>Decompressed pages from this size up are not pooled (see <see cref="Decompress"/>); tests lower it.</summary>
    internal static int LargePage { get; set; } = 1 << 20;

    /// <summary>
    /// Decompresses a page body; returns the rented buffer to give back (null when none was rented). Pages of
    /// <see cref="LargePage"/> bytes or more go to a buffer of this reader's own, reused by its later large pages and
    /// dropped with it: the shared pool kept them after the read, under feature computation's peak (10M events: ~35 MiB
    /// of peak RSS; a per-thread reused buffer kept as much).
    /// </summary>
    private byte[]? Decompress(ReadOnlySpan<byte> body, int uncompressedSize, out ReadOnlySpan<byte> data)
    {
        if (_codec == CompressionCodec.UNCOMPRESSED)
        {
            data = body;
            return null;
        }
        if (uncompressedSize < 0) throw new InvalidDataException($"column '{_leaf.Name}': negative page size");
        var large = uncompressedSize >= LargePage;
        byte[] output;
        if (large)
        {
            // One buffer for all of this chunk's large pages (a page's bytes are done with before the next is
            // decompressed): a fresh array per page cost page faults and zeroing per page, and it goes with the reader.
            if (_largePage is null || _largePage.Length < uncompressedSize)
            {
                // A buffer too small goes back (a smaller page may use it) before a larger one is taken.
                if (_largePage is not null)
                {
                    _pages?.Return(_largePage);
                    // Not returned a second time by TryRead should the larger one fail to come.
                    _largePage = null;
                }
                _largePage = _pages?.Rent(uncompressedSize) ?? GC.AllocateUninitializedArray<byte>(uncompressedSize);
            }
            output = _largePage;
        }
        else
        {
            output = ArrayPool<byte>.Shared.Rent(Math.Max(uncompressedSize, 1));
        }
        try
        {
            int written;
            switch (_codec)
            {
                case CompressionCodec.SNAPPY:
                    written = Snappier.Snappy.Decompress(body, output);
                    break;
                case CompressionCodec.ZSTD:
                    written = ZstdDecoder.Decompress(body, output.AsSpan(0, uncompressedSize));
                    break;
                default:
                    {
                        using var input = new MemoryStream(body.ToArray());
                        using var gzip = new GZipStream(input, CompressionMode.Decompress);
                        gzip.ReadExactly(output, 0, uncompressedSize);
                        written = uncompressedSize;
                        break;
                    }
            }
            if (written != uncompressedSize) throw new InvalidDataException($"column '{_leaf.Name}': page decompressed to {written} bytes, header says {uncompressedSize}");
            data = output.AsSpan(0, written);
            return large ? null : output;
        }
        catch
        {
            if (!large) ArrayPool<byte>.Shared.Return(output);
            throw;
        }
    }

    private IArrowArray Build()
    {
        var arrowType = ArrowSchemas.ToArrowPrimitive(_target);
        var bitmap = _nulls == 0 || _validity is null ? ArrowBuffer.Empty : new ArrowBuffer(_validity);
        ArrowBuffer[] buffers = _strings
            ? new[] { bitmap, new ArrowBuffer(MemoryMarshal.AsBytes(_offsets.AsSpan()).ToArray()), new ArrowBuffer(new ReadOnlyMemory<byte>(_bytes, 0, _bytesLength)) }
            : new[] { bitmap, new ArrowBuffer(FixedMemory) };
        return ArrowArrayFactory.BuildArray(new ArrayData(arrowType, _rows, _nulls, 0, buffers));
    }
}
