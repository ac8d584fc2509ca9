using System.IO.Compression;

namespace Floe.Parquet.Writing;

/// <summary>
/// Compresses page bodies with one codec (zstd through <see cref="ZstdEncoder"/>: libzstd when loaded). zstd contexts come from a process-wide pool, not one per column: a context
/// holds megabytes of native tables, and a partitioned write has dozens of files times columns open at once
/// (30 day files × 4 columns held about 100 MB of contexts), while only as many pages as there are threads
/// compress at any moment.
/// </summary>
internal sealed class PageCompressor : IDisposable
{
    private readonly ParquetCodec _codec;
    private readonly int _level;
    private readonly bool _managed;

    /// <param name="codec">The codec.</param>
    /// <param name="zstdLevel">The zstd level.</param>
    /// <param name="managedZstd">ZstdSharp even where libzstd was loaded (<see cref="ParquetWriterOptions.ManagedZstd"/>).</param>
    public PageCompressor(ParquetCodec codec, int zstdLevel, bool managedZstd = false)
    {
        _codec = codec;
        _level = zstdLevel;
        _managed = managedZstd || !ZstdEncoder.IsNative;
    }

    /// <summary>True for zstd, the one codec with levels.</summary>
    public bool IsZstd => _codec == ParquetCodec.Zstd;

    /// <summary>The thrift <c>CompressionCodec</c> value.</summary>
    public int ThriftCodec => _codec switch
    {
        ParquetCodec.Uncompressed => 0,
        ParquetCodec.Snappy => 1,
        ParquetCodec.Gzip => 2,
        _ => 6,
    };

    /// <summary>Appends the compressed form of <paramref name="source"/> to <paramref name="destination"/>; returns its length.</summary>
    public int Compress(ReadOnlySpan<byte> source, GrowableBuffer destination) => Compress(source, destination, new ZstdEffort(_level));

    /// <summary>
    /// As <see cref="Compress(ReadOnlySpan{byte}, GrowableBuffer)"/>, at zstd effort <paramref name="effort"/> (level and
    /// fast match length) instead of the compressor's own level (other codecs ignore it).
    /// </summary>
    public int Compress(ReadOnlySpan<byte> source, GrowableBuffer destination, ZstdEffort effort)
    {
        switch (_codec)
        {
            case ParquetCodec.Uncompressed:
                destination.Append(source);
                return source.Length;
            case ParquetCodec.Snappy:
                {
                    var span = destination.GetSpan(Snappier.Snappy.GetMaxCompressedLength(source.Length));
                    var n = Snappier.Snappy.Compress(source, span);
                    destination.Length += n;
                    return n;
                }
            case ParquetCodec.Gzip:
                {
                    using var memory = new MemoryStream();
                    using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
                    {
                        gzip.Write(source);
                    }
                    destination.Append(memory.GetBuffer().AsSpan(0, (int)memory.Length));
                    return (int)memory.Length;
                }
            default:
                {
                    var span = destination.GetSpan(ZstdEncoder.Bound(source.Length));
                    var encoder = ZstdContextPool.Rent(effort, _managed);
                    int n;
                    try
                    {
                        n = encoder.Compress(source, span);
                    }
                    finally
                    {
                        ZstdContextPool.Return(effort, _managed, encoder);
                    }
                    destination.Length += n;
                    return n;
                }
        }
    }

    /// <summary>Nothing to release: zstd contexts go back to the pool after each page.</summary>
    public void Dispose()
    {
    }
}
