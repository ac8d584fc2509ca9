using System.Runtime.InteropServices;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the buffer module: <c>floe_buf_free</c>.</summary>
internal static unsafe class BufferExports
{
    /// <summary><c>void floe_buf_free(floe_buf* buf)</c>: frees the bytes and resets to {NULL, 0}; accepts NULL.</summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_buf_free")]
    public static void Free(FloeBuf* buffer)
    {
        try
        {
            NativeBuffers.Free(buffer);
        }
        catch (Exception e)
        {
            NativeCall.Fail(e, "floe_buf_free");
        }
    }
}
