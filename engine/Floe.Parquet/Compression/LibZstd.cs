using System.Runtime.InteropServices;

namespace Floe.Parquet.Compression;

/// <summary>
/// The system's libzstd, loaded once for both page directions: the reader decompresses and the writer compresses
/// through it when the process can load one, and both fall back to ZstdSharp otherwise or when the environment
/// variable <c>FLOE_ZSTD</c> is <c>managed</c>. Entry points are looked up as unmanaged function pointers (no
/// marshalling stubs, NativeAOT-safe); each direction is available only when all of its entry points were found.
/// </summary>
internal static unsafe class LibZstd
{
    // ZSTD_cParameter.ZSTD_c_compressionLevel in zstd.h (stable since 1.4.0).
    private const int CompressionLevelParameter = 100;
    // ZSTD_cParameter.ZSTD_c_minMatch (stable since 1.4.0).
    private const int MinMatchParameter = 105;

    private static readonly delegate* unmanaged<nint> s_createD;
    private static readonly delegate* unmanaged<nint, nuint> s_freeD;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> s_decompress;
    private static readonly delegate* unmanaged<nint> s_createC;
    private static readonly delegate* unmanaged<nint, nuint> s_freeC;
    private static readonly delegate* unmanaged<nint, int, int, nuint> s_setParameter;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> s_compress2;
    private static readonly delegate* unmanaged<nuint, uint> s_isError;
    private static readonly delegate* unmanaged<nuint, byte*> s_errorName;

    static LibZstd()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("FLOE_ZSTD"), "managed", StringComparison.OrdinalIgnoreCase)) return;
        foreach (var name in new[] { "libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib", "libzstd.dll", "zstd.dll" })
        {
            if (!NativeLibrary.TryLoad(name, out var library)) continue;
            if (!NativeLibrary.TryGetExport(library, "ZSTD_isError", out var isError)
                || !NativeLibrary.TryGetExport(library, "ZSTD_getErrorName", out var errorName))
            {
                NativeLibrary.Free(library);
                continue;
            }
            s_isError = (delegate* unmanaged<nuint, uint>)isError;
            s_errorName = (delegate* unmanaged<nuint, byte*>)errorName;
            if (NativeLibrary.TryGetExport(library, "ZSTD_createDCtx", out var createD)
                && NativeLibrary.TryGetExport(library, "ZSTD_freeDCtx", out var freeD)
                && NativeLibrary.TryGetExport(library, "ZSTD_decompressDCtx", out var decompress))
            {
                s_createD = (delegate* unmanaged<nint>)createD;
                s_freeD = (delegate* unmanaged<nint, nuint>)freeD;
                s_decompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)decompress;
                CanDecompress = true;
            }
            // ZSTD_compress2 with the level as a sticky parameter is what ZstdSharp's Compressor.Wrap does, so both
            // paths compress with the same parameters.
            if (NativeLibrary.TryGetExport(library, "ZSTD_createCCtx", out var createC)
                && NativeLibrary.TryGetExport(library, "ZSTD_freeCCtx", out var freeC)
                && NativeLibrary.TryGetExport(library, "ZSTD_CCtx_setParameter", out var setParameter)
                && NativeLibrary.TryGetExport(library, "ZSTD_compress2", out var compress2))
            {
                s_createC = (delegate* unmanaged<nint>)createC;
                s_freeC = (delegate* unmanaged<nint, nuint>)freeC;
                s_setParameter = (delegate* unmanaged<nint, int, int, nuint>)setParameter;
                s_compress2 = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)compress2;
                CanCompress = true;
            }
            if (CanDecompress || CanCompress) return;
            NativeLibrary.Free(library);
        }
    }

    /// <summary>True when a libzstd with the decompression entry points was loaded.</summary>
    public static bool CanDecompress { get; }

    /// <summary>True when a libzstd with the compression entry points (1.4.0 or later) was loaded.</summary>
    public static bool CanCompress { get; }

    /// <summary>Decompresses one frame with <paramref name="context"/> (from <see cref="Context.ForDecompression"/>).</summary>
    /// <exception cref="InvalidDataException">The frame is corrupt or does not fit.</exception>
    public static int Decompress(Context context, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var result = Call(s_decompress, context, source, destination);
        return s_isError(result) != 0 ? throw new InvalidDataException($"zstd: {ErrorName(result)}") : checked((int)result);
    }

    /// <summary>
    /// Compresses <paramref name="source"/> as one frame at <paramref name="context"/>'s level (from
    /// <see cref="Context.ForCompression"/>); <paramref name="destination"/> should hold the compress bound.
    /// </summary>
    /// <exception cref="InvalidOperationException">libzstd failed (a destination below the bound).</exception>
    public static int Compress(Context context, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var result = Call(s_compress2, context, source, destination);
        return s_isError(result) != 0 ? throw new InvalidOperationException($"zstd compression failed: {ErrorName(result)}") : checked((int)result);
    }

    // ZSTD_decompressDCtx and ZSTD_compress2 share their signature: (context, dst, dstCapacity, src, srcSize).
    private static nuint Call(delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> function, Context context, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var handle = context.Handle;
        ObjectDisposedException.ThrowIf(handle == 0, context);
        nuint result;
        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            result = function(handle, d, (nuint)destination.Length, s, (nuint)source.Length);
        }
        // The finalizer frees the handle: the context must outlive the call, not just the read of its handle.
        GC.KeepAlive(context);
        return result;
    }

    private static string? ErrorName(nuint code) => Marshal.PtrToStringAnsi((nint)s_errorName(code));

    /// <summary>
    /// One native context, freed by <see cref="Dispose"/> or, when its owner (a thread, a pool) simply drops it, by the
    /// finalizer.
    /// </summary>
    public sealed class Context : IDisposable
    {
        private readonly bool _compression;
        private nint _handle;

        private Context(nint handle, bool compression)
        {
            if (handle == 0) throw new OutOfMemoryException(compression ? "ZSTD_createCCtx failed" : "ZSTD_createDCtx failed");
            _handle = handle;
            _compression = compression;
        }

        ~Context() => Free();

        /// <summary>The native pointer; valid until disposed.</summary>
        public nint Handle => _handle;

        /// <summary>A decompression context; only when <see cref="CanDecompress"/>.</summary>
        public static Context ForDecompression()
        {
            if (!CanDecompress) throw new InvalidOperationException("no native libzstd was loaded");
            return new Context(s_createD(), compression: false);
        }

        /// <summary>
        /// A compression context at <paramref name="level"/>, looking for matches of at least <paramref name="minMatch"/>
        /// bytes (0: the level's own); only when <see cref="CanCompress"/>.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">libzstd rejected the level or the match length.</exception>
        public static Context ForCompression(int level, int minMatch = 0)
        {
            if (!CanCompress) throw new InvalidOperationException("no native libzstd was loaded");
            var context = new Context(s_createC(), compression: true);
            var result = s_setParameter(context._handle, CompressionLevelParameter, level);
            if (s_isError(result) != 0)
            {
                context.Dispose();
                throw new ArgumentOutOfRangeException(nameof(level), level, $"zstd: {ErrorName(result)}");
            }
            if (minMatch != 0 && s_isError(result = s_setParameter(context._handle, MinMatchParameter, minMatch)) != 0)
            {
                context.Dispose();
                throw new ArgumentOutOfRangeException(nameof(minMatch), minMatch, $"zstd: {ErrorName(result)}");
            }
            return context;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            var handle = _handle;
            _handle = 0;
            if (handle == 0) return;
            if (_compression) s_freeC(handle);
            else s_freeD(handle);
        }
    }
}
