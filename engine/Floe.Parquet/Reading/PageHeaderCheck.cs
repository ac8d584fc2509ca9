using Floe.Parquet.Thrift;
using Parquet.Meta;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Reading;

/// <summary>
/// Walks a column chunk's page headers as a page decoder will before Parquet.Net is given the chunk: each header's
/// known fields must carry their parquet.thrift wire types (Parquet.Net reads them by expected type and, misaligned,
/// loops forever past its buffer), every page must lie inside the chunk, and the data pages must hold the chunk's
/// value count, so the decoder never reads a header outside the chunk. Throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class PageHeaderCheck
{
    private const byte Bool = ThriftCompactReader.TypeBoolTrue;
    private const byte I32 = ThriftCompactReader.TypeI32;
    private const byte Struct = ThriftCompactReader.TypeStruct;
    private const byte Binary = ThriftCompactReader.TypeBinary;
    private const byte I64 = ThriftCompactReader.TypeI64;

    private sealed record Shape(string Name, Dictionary<short, (byte Type, Shape? Nested)> Fields);

    private static readonly Shape Statistics = new("Statistics", new()
    {
        [1] = (Binary, null),
        [2] = (Binary, null),
        [3] = (I64, null),
        [4] = (I64, null),
        [5] = (Binary, null),
        [6] = (Binary, null),
        [7] = (Bool, null),
        [8] = (Bool, null),
    });

    private static readonly Shape PageHeader = new("PageHeader", new()
    {
        [1] = (I32, null),
        [2] = (I32, null),
        [3] = (I32, null),
        [4] = (I32, null),
        [5] = (Struct, new Shape("DataPageHeader", new() { [1] = (I32, null), [2] = (I32, null), [3] = (I32, null), [4] = (I32, null), [5] = (Struct, Statistics) })),
        [6] = (Struct, null),
        [7] = (Struct, new Shape("DictionaryPageHeader", new() { [1] = (I32, null), [2] = (I32, null), [3] = (Bool, null) })),
        [8] = (Struct, new Shape("DataPageHeaderV2", new()
        {
            [1] = (I32, null),
            [2] = (I32, null),
            [3] = (I32, null),
            [4] = (I32, null),
            [5] = (I32, null),
            [6] = (I32, null),
            [7] = (Bool, null),
            [8] = (Struct, Statistics),
        })),
    });

    /// <summary>Checks the pages of <paramref name="chunk"/> in <paramref name="stream"/>; returns the chunk's byte range.</summary>
    public static (long Start, long End) Check(Stream stream, FileSchemaNode leaf, ColumnChunk chunk)
    {
        var meta = chunk.MetaData ?? throw new InvalidDataException($"column '{leaf.Name}' has no metadata");
        var start = meta.DictionaryPageOffset is > 0 && meta.DictionaryPageOffset < meta.DataPageOffset ? meta.DictionaryPageOffset.Value : meta.DataPageOffset;
        var bytes = new byte[checked((int)meta.TotalCompressedSize)];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        long values = 0;
        var position = 0;
        while (values < meta.NumValues)
        {
            if (position >= bytes.Length) throw new InvalidDataException($"column '{leaf.Name}' ends after {values} of its {meta.NumValues} values");
            var reader = new ThriftCompactReader(bytes.AsSpan(position));
            CheckStruct(ref reader, PageHeader, 0);
            var header = FallbackChunkReader.PageHeaderInfo.Parse(bytes.AsSpan(position), out var headerLength);
            if (header.CompressedSize < 0 || header.CompressedSize > bytes.Length - position - headerLength)
            {
                throw new InvalidDataException($"column '{leaf.Name}': a page of {header.CompressedSize} bytes runs past its column chunk");
            }
            PageSizes.Check(meta.Codec, header.CompressedSize, header.UncompressedSize, leaf.Name);
            if (header.Type is PageType.DATA_PAGE or PageType.DATA_PAGE_V2)
            {
                // Parquet.Net sizes a page's buffers by its count: a count past the chunk's is refused before it does.
                if (header.NumValues < 0 || header.NumValues > meta.NumValues - values)
                {
                    throw new InvalidDataException($"column '{leaf.Name}': a page of {header.NumValues} values runs past the chunk's {meta.NumValues}");
                }
                values += header.NumValues;
            }
            else if (header.Type == PageType.DICTIONARY_PAGE && header.NumValues > DictionaryCapacity(leaf, header.UncompressedSize))
            {
                // Parquet.Net sizes the dictionary by its count too: every PLAIN entry takes bytes of the page (a bit for a bool).
                throw new InvalidDataException($"column '{leaf.Name}': dictionary page declares {header.NumValues} values but holds {header.UncompressedSize} bytes");
            }
            position += headerLength + header.CompressedSize;
        }
        return (start, start + bytes.Length);
    }

    // The most PLAIN entries a dictionary page of this many bytes can hold.
    private static long DictionaryCapacity(FileSchemaNode leaf, int bytes) => leaf.Element.Type switch
    {
        ParquetType.BOOLEAN => 8L * bytes,
        ParquetType.INT32 or ParquetType.FLOAT => bytes / 4,
        ParquetType.INT64 or ParquetType.DOUBLE => bytes / 8,
        ParquetType.INT96 => bytes / 12,
        ParquetType.BYTE_ARRAY => bytes / 4,
        _ => bytes / Math.Max(1, leaf.Element.TypeLength ?? 1),
    };

    private static void CheckStruct(ref ThriftCompactReader r, Shape shape, int depth)
    {
        var saved = r.BeginStruct();
        while (r.NextField(out var id, out var type))
        {
            if (!shape.Fields.TryGetValue(id, out var expected))
            {
                r.Skip(type, depth + 1);
                continue;
            }
            var matches = expected.Type == Bool ? type is ThriftCompactReader.TypeBoolTrue or ThriftCompactReader.TypeBoolFalse : type == expected.Type;
            if (!matches) throw new InvalidDataException($"page header: {shape.Name} field {id} has thrift type {type} where {expected.Type} belongs");
            if (expected.Nested is { } nested) CheckStruct(ref r, nested, depth + 1);
            else r.Skip(type, depth + 1);
        }
        r.EndStruct(saved);
    }
}
