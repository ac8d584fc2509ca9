using Floe.Parquet.Compression;

namespace Floe.Parquet.Writing;

/// <summary>
/// One zstd compression context at a fixed level: the system's libzstd when <see cref="LibZstd"/> loaded one (and
/// <c>FLOE_ZSTD</c> is not <c>managed</c>), else ZstdSharp. Both compress each page as one frame with ZSTD_compress2
/// and only the level set, so either decoder reads either's frames; the bytes may differ between the two (and between
/// libzstd versions), never between runs of one.
/// </summary>
internal sealed class ZstdEncoder : IDisposable
{
    private readonly LibZstd.Context? _native;
    private readonly ZstdSharp.Compressor? _managed;

    private ZstdEncoder(LibZstd.Context? native, ZstdSharp.Compressor? managed)
    {
        _native = native;
        _managed = managed;
    }

    /// <summary>True when pages can go through the system's libzstd.</summary>
    public static bool IsNative => LibZstd.CanCompress;

    /// <summary>True when this context is libzstd's.</summary>
    public bool Native => _native is not null;

    /// <summary>ZstdSharp, whatever <see cref="IsNative"/> says.</summary>
    public static ZstdEncoder CreateManaged(ZstdEffort effort)
    {
        var compressor = new ZstdSharp.Compressor(effort.Level);
        if (effort.FastMinMatch != 0) compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_minMatch, effort.FastMinMatch);
        return new(null, compressor);
    }

    /// <summary>The system's libzstd; only when <see cref="IsNative"/>.</summary>
    public static ZstdEncoder CreateNative(ZstdEffort effort) => new(LibZstd.Context.ForCompression(effort.Level, effort.FastMinMatch), null);

    /// <summary>
    /// The shortest match the fast (negative) levels look for: 5 bytes instead of their default 6. The feature output's
    /// doubles repeat in 5-byte runs (decimal amounts' mantissas), and its fast pages came out 1.3% smaller for the same
    /// CPU (10M-event bench: file 375.8 -> 373.3 MB; bench/RESULTS.md, featkern10).
    /// </summary>
    public const int FastMinMatch = 5;

    /// <summary>The most bytes one frame of <paramref name="length"/> input can take (ZSTD_compressBound).</summary>
    public static int Bound(int length) => ZstdSharp.Compressor.GetCompressBound(length);

    /// <summary>Compresses <paramref name="source"/> as one frame; <paramref name="destination"/> holds at least <see cref="Bound"/>.</summary>
    public int Compress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        _native is not null ? LibZstd.Compress(_native, source, destination) : _managed!.Wrap(source, destination);

    /// <inheritdoc />
    public void Dispose()
    {
        _native?.Dispose();
        _managed?.Dispose();
    }
}
