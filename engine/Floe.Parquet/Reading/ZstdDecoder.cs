using Floe.Parquet.Compression;

namespace Floe.Parquet.Reading;

/// <summary>
/// Decompresses zstd pages with the system's libzstd when <see cref="LibZstd"/> loaded one (it decompressed Floe's
/// pages in 0.23–0.49× ZstdSharp's time, bench/RESULTS.md), and with ZstdSharp otherwise or when the environment
/// variable <c>FLOE_ZSTD</c> is <c>managed</c>: the library is optional, bytes are identical either way. Each thread
/// keeps one decompression context, freed when the thread ends.
/// </summary>
internal static class ZstdDecoder
{
    [ThreadStatic]
    private static LibZstd.Context? t_native;

    [ThreadStatic]
    private static ZstdSharp.Decompressor? t_managed;

    /// <summary>True when pages go through the system's libzstd.</summary>
    public static bool IsNative => LibZstd.CanDecompress;

    /// <summary>Decompresses one zstd frame into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="InvalidDataException">The frame is corrupt or does not fit (native path).</exception>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        IsNative ? DecompressNative(source, destination) : DecompressManaged(source, destination);

    /// <summary>ZstdSharp, whatever <see cref="IsNative"/> says (tests compare the two).</summary>
    internal static int DecompressManaged(ReadOnlySpan<byte> source, Span<byte> destination) =>
        (t_managed ??= new ZstdSharp.Decompressor()).Unwrap(source, destination);

    /// <summary>The system's libzstd; only when <see cref="IsNative"/>.</summary>
    internal static int DecompressNative(ReadOnlySpan<byte> source, Span<byte> destination) =>
        LibZstd.Decompress(t_native ??= LibZstd.Context.ForDecompression(), source, destination);
}
