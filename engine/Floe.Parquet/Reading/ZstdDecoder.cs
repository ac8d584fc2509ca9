using System.Runtime.InteropServices;

namespace Floe.Parquet.Reading;

/// <summary>
/// Decompresses zstd pages with the system's libzstd when the process can load one (it decompressed Floe's pages in
/// 0.23–0.49× ZstdSharp's time, bench/RESULTS.md), and with ZstdSharp otherwise or when the environment variable
/// <c>FLOE_ZSTD</c> is <c>managed</c>: the library is optional, bytes are identical either way. The native entry points
/// are looked up once as unmanaged function pointers (no marshalling stubs, NativeAOT-safe); each thread keeps one
/// decompression context, freed when the thread ends.
/// </summary>
internal static unsafe class ZstdDecoder
{
    private static readonly delegate* unmanaged<nint> s_create;
    private static readonly delegate* unmanaged<nint, nuint> s_free;
    private static readonly delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint> s_decompress;
    private static readonly delegate* unmanaged<nuint, uint> s_isError;
    private static readonly delegate* unmanaged<nuint, byte*> s_errorName;

    [ThreadStatic]
    private static NativeContext? t_native;

    [ThreadStatic]
    private static ZstdSharp.Decompressor? t_managed;

    static ZstdDecoder()
    {
        if (string.Equals(Environment.GetEnvironmentVariable("FLOE_ZSTD"), "managed", StringComparison.OrdinalIgnoreCase)) return;
        foreach (var name in new[] { "libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib", "libzstd.dll", "zstd.dll" })
        {
            if (!NativeLibrary.TryLoad(name, out var library)) continue;
            if (NativeLibrary.TryGetExport(library, "ZSTD_createDCtx", out var create)
                && NativeLibrary.TryGetExport(library, "ZSTD_freeDCtx", out var free)
                && NativeLibrary.TryGetExport(library, "ZSTD_decompressDCtx", out var decompress)
                && NativeLibrary.TryGetExport(library, "ZSTD_isError", out var isError)
                && NativeLibrary.TryGetExport(library, "ZSTD_getErrorName", out var errorName))
            {
                s_create = (delegate* unmanaged<nint>)create;
                s_free = (delegate* unmanaged<nint, nuint>)free;
                s_decompress = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nuint>)decompress;
                s_isError = (delegate* unmanaged<nuint, uint>)isError;
                s_errorName = (delegate* unmanaged<nuint, byte*>)errorName;
                IsNative = true;
                return;
            }
            NativeLibrary.Free(library);
        }
    }

    /// <summary>True when pages go through the system's libzstd.</summary>
    public static bool IsNative { get; }

    /// <summary>Decompresses one zstd frame into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="InvalidDataException">The frame is corrupt or does not fit (native path).</exception>
    public static int Decompress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        IsNative ? DecompressNative(source, destination) : DecompressManaged(source, destination);

    /// <summary>ZstdSharp, whatever <see cref="IsNative"/> says (tests compare the two).</summary>
    internal static int DecompressManaged(ReadOnlySpan<byte> source, Span<byte> destination) =>
        (t_managed ??= new ZstdSharp.Decompressor()).Unwrap(source, destination);

    /// <summary>The system's libzstd; only when <see cref="IsNative"/>.</summary>
    internal static int DecompressNative(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!IsNative) throw new InvalidOperationException("no native libzstd was loaded");
        var context = t_native ??= new NativeContext(s_create());
        nuint result;
        fixed (byte* s = source)
        fixed (byte* d = destination)
        {
            result = s_decompress(context.Handle, d, (nuint)destination.Length, s, (nuint)source.Length);
        }
        if (s_isError(result) != 0) throw new InvalidDataException($"zstd: {Marshal.PtrToStringAnsi((nint)s_errorName(result))}");
        return checked((int)result);
    }

    /// <summary>A thread's decompression context, freed with the thread's last reference to it.</summary>
    private sealed class NativeContext
    {
        public NativeContext(nint handle)
        {
            if (handle == 0) throw new OutOfMemoryException("ZSTD_createDCtx failed");
            Handle = handle;
        }

        public nint Handle { get; }

        ~NativeContext() => s_free(Handle);
    }
}
