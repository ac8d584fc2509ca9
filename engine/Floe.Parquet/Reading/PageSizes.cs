using Parquet.Meta;

namespace Floe.Parquet.Reading;

/// <summary>
/// A page header's uncompressed size checked against what its codec can make of its compressed bytes, before any
/// decoder sizes a buffer by it. A header is the only source of that size, and one field claiming 2^31 - 1 bytes
/// made the readers allocate past the largest array .NET has (an OutOfMemoryException, not an error naming the file),
/// and a few hundred megabytes to two gigabytes for anything below it, from a page of a few bytes.
/// </summary>
internal static class PageSizes
{
    // Bytes any page may claim beyond its codec's ratio (a frame's or block's fixed overhead, tiny pages).
    private const long Slack = 1 << 20;

    /// <summary>
    /// The most bytes one compressed byte can become: snappy copies at most 64 bytes per 3-byte element, deflate a
    /// 258-byte match per 2 bits (1032:1), LZ4 255 match bytes per length byte, zstd a 128 KiB block per 4-byte RLE
    /// block, brotli a 16 MiB meta-block per few bytes; an uncompressed page is its own size. 0: not bounded by a
    /// ratio (codecs no reader decodes), only by the largest array.
    /// </summary>
    public static long MaxExpansion(CompressionCodec codec) => codec switch
    {
        CompressionCodec.UNCOMPRESSED => 1,
        CompressionCodec.SNAPPY => 32,
        CompressionCodec.GZIP => 1040,
        CompressionCodec.LZ4 or CompressionCodec.LZ4_RAW => 256,
        CompressionCodec.ZSTD => 32768,
        CompressionCodec.BROTLI => 1 << 24,
        _ => 0,
    };

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="column"/> when the sizes cannot be a page's.</summary>
    public static void Check(CompressionCodec codec, int compressedSize, int uncompressedSize, string column)
    {
        if (compressedSize < 0 || uncompressedSize < 0)
        {
            throw new InvalidDataException($"column '{column}': a page of {compressedSize} bytes claims {uncompressedSize} bytes uncompressed");
        }
        var ratio = MaxExpansion(codec);
        if (uncompressedSize >= Array.MaxLength || (ratio > 0 && uncompressedSize > compressedSize * ratio + Slack))
        {
            throw new InvalidDataException($"column '{column}': a page of {compressedSize} bytes claims {uncompressedSize} bytes uncompressed, more than {codec} makes of it");
        }
    }
}
