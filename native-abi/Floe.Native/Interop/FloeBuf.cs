using System.Runtime.InteropServices;

namespace Floe.Native.Interop;

/// <summary>
/// Blittable mirror of <c>floe_buf</c>: bytes handed to the caller, allocated with
/// <see cref="NativeMemory"/> and released by <c>floe_buf_free</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FloeBuf
{
    /// <summary><c>uint8_t* data</c>: the bytes, followed by one uncounted NUL; NULL when empty.</summary>
    public byte* Data;

    /// <summary><c>size_t len</c>: the number of bytes, not counting the trailing NUL.</summary>
    public nuint Len;
}
