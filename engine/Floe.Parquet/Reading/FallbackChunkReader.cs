using System.Buffers.Binary;
using System.IO.Compression;
using Floe.Core.Errors;
using Floe.Parquet.Thrift;
using Parquet.Meta;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Reading;

/// <summary>
/// Decodes a column chunk without Parquet.Net, for the page layouts Parquet.Net 6.1 does not implement (v2 data
/// pages of repeated columns). Supports v1/v2 data pages, dictionary pages, PLAIN and RLE_DICTIONARY values,
/// RLE-hybrid levels and the uncompressed/snappy/gzip/zstd codecs. Values come out packed (non-null only) in
/// physical form: bool, int, long, float, double or byte slices.
/// </summary>
internal sealed class FallbackChunkReader
{
    private readonly FileSchemaNode _leaf;
    private readonly ColumnMetaData _meta;
    private readonly byte[] _chunk;
    private readonly List<object> _dictionary = new();
    private int _levelCount;
    private int _valueCount;

    private FallbackChunkReader(FileSchemaNode leaf, ColumnMetaData meta, byte[] chunk, int levels)
    {
        _leaf = leaf;
        _meta = meta;
        _chunk = chunk;
        Def = new int[levels];
        Rep = new int[levels];
        Values = new object[levels];
    }

    public int[] Def { get; }

    public int[] Rep { get; }

    /// <summary>Decoded non-null values, boxed per value (this path only serves rare layouts).</summary>
    public object[] Values { get; }

    public int ValueCount => _valueCount;

    public static FallbackChunkReader Read(Stream stream, FileSchemaNode leaf, ColumnChunk chunk)
    {
        var meta = chunk.MetaData ?? throw new InvalidDataException($"column '{leaf.Name}' has no metadata");
        var start = meta.DictionaryPageOffset is > 0 && meta.DictionaryPageOffset < meta.DataPageOffset ? meta.DictionaryPageOffset.Value : meta.DataPageOffset;
        var bytes = new byte[checked((int)meta.TotalCompressedSize)];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        var reader = new FallbackChunkReader(leaf, meta, bytes, checked((int)meta.NumValues));
        reader.DecodePages();
        return reader;
    }

    private void DecodePages()
    {
        var position = 0;
        while (_levelCount < Def.Length && position < _chunk.Length)
        {
            var header = PageHeaderInfo.Parse(_chunk.AsSpan(position), out var headerLength);
            position += headerLength;
            var body = _chunk.AsSpan(position, header.CompressedSize);
            position += header.CompressedSize;
            switch (header.Type)
            {
                case PageType.DICTIONARY_PAGE:
                    {
                        var data = Decompress(body, header.UncompressedSize);
                        var offset = 0;
                        for (var i = 0; i < header.NumValues; i++) _dictionary.Add(ReadPlain(data, ref offset, i, null));
                        break;
                    }
                case PageType.DATA_PAGE:
                    {
                        var data = Decompress(body, header.UncompressedSize);
                        var offset = 0;
                        if (_leaf.RepetitionLevel > 0)
                        {
                            var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
                            DecodeLevels(data.AsSpan(offset + 4, length), _leaf.RepetitionLevel, Rep, header.NumValues);
                            offset += 4 + length;
                        }
                        if (_leaf.DefinitionLevel > 0)
                        {
                            var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
                            DecodeLevels(data.AsSpan(offset + 4, length), _leaf.DefinitionLevel, Def, header.NumValues);
                            offset += 4 + length;
                        }
                        DecodeValues(data, offset, header.NumValues, header.Encoding);
                        break;
                    }
                case PageType.DATA_PAGE_V2:
                    {
                        var levelsLength = header.RepetitionLength + header.DefinitionLength;
                        if (_leaf.RepetitionLevel > 0) DecodeLevels(body[..header.RepetitionLength], _leaf.RepetitionLevel, Rep, header.NumValues);
                        if (_leaf.DefinitionLevel > 0) DecodeLevels(body.Slice(header.RepetitionLength, header.DefinitionLength), _leaf.DefinitionLevel, Def, header.NumValues);
                        var values = body[levelsLength..];
                        var data = header.IsCompressed ? Decompress(values, header.UncompressedSize - levelsLength) : values.ToArray();
                        DecodeValues(data, 0, header.NumValues, header.Encoding);
                        break;
                    }
                default:
                    break; // index pages carry nothing we need
            }
        }
        if (_levelCount != Def.Length) throw new InvalidDataException($"column '{_leaf.Name}': pages hold {_levelCount} values, metadata says {Def.Length}");
    }

    private void DecodeLevels(ReadOnlySpan<byte> data, int maxLevel, int[] target, int count)
    {
        var width = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)maxLevel);
        RleHybrid.Decode(data, width, target.AsSpan(_levelCount, count));
    }

    private void DecodeValues(byte[] data, int offset, int levels, Encoding encoding)
    {
        var nonNull = 0;
        for (var i = 0; i < levels; i++)
        {
            if (_leaf.DefinitionLevel == 0 || Def[_levelCount + i] == _leaf.DefinitionLevel) nonNull++;
        }
        if (encoding is Encoding.PLAIN)
        {
            for (var i = 0; i < nonNull; i++) Values[_valueCount + i] = ReadPlain(data, ref offset, i, null);
        }
        else if (encoding is Encoding.RLE_DICTIONARY or Encoding.PLAIN_DICTIONARY)
        {
            var width = data[offset];
            var indices = new int[nonNull];
            RleHybrid.Decode(data.AsSpan(offset + 1), width, indices);
            for (var i = 0; i < nonNull; i++) Values[_valueCount + i] = _dictionary[indices[i]];
        }
        else
        {
            throw Errors.Unsupported($"column '{_leaf.Name}': {encoding} values in this page layout");
        }
        _valueCount += nonNull;
        _levelCount += levels;
    }

    private object ReadPlain(byte[] data, ref int offset, int index, object? unused)
    {
        _ = unused;
        switch (_leaf.Element.Type)
        {
            case ParquetType.BOOLEAN:
                {
                    // PLAIN booleans are bit-packed from the start of the value section.
                    var value = (data[offset + (index >> 3)] & (1 << (index & 7))) != 0;
                    return value;
                }
            case ParquetType.INT32:
                offset += 4;
                return BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset - 4));
            case ParquetType.INT64:
                offset += 8;
                return BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(offset - 8));
            case ParquetType.FLOAT:
                offset += 4;
                return BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset - 4));
            case ParquetType.DOUBLE:
                offset += 8;
                return BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(offset - 8));
            case ParquetType.BYTE_ARRAY:
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
                    var value = new ReadOnlyMemory<byte>(data, offset + 4, length);
                    offset += 4 + length;
                    return value;
                }
            case ParquetType.FIXED_LEN_BYTE_ARRAY:
                {
                    var length = _leaf.Element.TypeLength ?? 0;
                    var value = new ReadOnlyMemory<byte>(data, offset, length);
                    offset += length;
                    return value;
                }
            default:
                throw Errors.Unsupported($"column '{_leaf.Name}': physical type {_leaf.Element.Type} in this page layout");
        }
    }

    private byte[] Decompress(ReadOnlySpan<byte> data, int uncompressedSize)
    {
        switch (_meta.Codec)
        {
            case CompressionCodec.UNCOMPRESSED:
                return data.ToArray();
            case CompressionCodec.SNAPPY:
                return Snappier.Snappy.DecompressToArray(data);
            case CompressionCodec.GZIP:
                {
                    using var input = new MemoryStream(data.ToArray());
                    using var gzip = new GZipStream(input, CompressionMode.Decompress);
                    var output = new byte[uncompressedSize];
                    gzip.ReadExactly(output);
                    return output;
                }
            case CompressionCodec.ZSTD:
                {
                    using var zstd = new ZstdSharp.Decompressor();
                    var output = new byte[uncompressedSize];
                    zstd.Unwrap(data, output);
                    return output;
                }
            default:
                throw Errors.Unsupported($"column '{_leaf.Name}': codec {_meta.Codec}");
        }
    }

    /// <summary>The page header fields this reader uses.</summary>
    internal readonly record struct PageHeaderInfo(
        PageType Type, int UncompressedSize, int CompressedSize, int NumValues, Encoding Encoding,
        int DefinitionLength, int RepetitionLength, bool IsCompressed)
    {
        public static PageHeaderInfo Parse(ReadOnlySpan<byte> data, out int length)
        {
            var r = new ThriftCompactReader(data);
            PageType type = default;
            int uncompressed = 0, compressed = 0, numValues = 0, defLength = 0, repLength = 0;
            var encoding = Encoding.PLAIN;
            var isCompressed = true;
            while (r.NextField(out var id, out var fieldType))
            {
                switch (id)
                {
                    case 1: type = (PageType)r.ReadI32(); break;
                    case 2: uncompressed = r.ReadI32(); break;
                    case 3: compressed = r.ReadI32(); break;
                    case 5:
                    case 7:
                    case 8:
                        {
                            var saved = r.BeginStruct();
                            while (r.NextField(out var inner, out var innerType))
                            {
                                if (inner == 1 && innerType == ThriftCompactReader.TypeI32) numValues = r.ReadI32();
                                else if (id == 5 && inner == 2) encoding = (Encoding)r.ReadI32();
                                else if (id == 7 && inner == 2) encoding = (Encoding)r.ReadI32();
                                else if (id == 8 && inner == 4) encoding = (Encoding)r.ReadI32();
                                else if (id == 8 && inner == 5) defLength = r.ReadI32();
                                else if (id == 8 && inner == 6) repLength = r.ReadI32();
                                else if (id == 8 && inner == 7) isCompressed = innerType == ThriftCompactReader.TypeBoolTrue;
                                else r.Skip(innerType);
                            }
                            r.EndStruct(saved);
                            break;
                        }
                    default: r.Skip(fieldType); break;
                }
            }
            length = r.Position;
            return new PageHeaderInfo(type, uncompressed, compressed, numValues, encoding, defLength, repLength, isCompressed);
        }
    }
}
