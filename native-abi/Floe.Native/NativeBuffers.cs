using System.Runtime.InteropServices;
using System.Text;
using Floe.Core.Errors;
using Floe.Native.Interop;

namespace Floe.Native;

/// <summary>
/// Fills and frees <c>floe_buf</c>s. Every buffer's bytes come from <see cref="NativeMemory"/> and are followed by one
/// uncounted NUL, so text results read as C strings; <c>floe_buf_free</c> is the only way they are released.
/// </summary>
internal static unsafe class NativeBuffers
{
    /// <summary>Resets a caller's buffer to {NULL, 0} before an export fills it, so failures leave it freeable.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> when <paramref name="buffer"/> is NULL.</exception>
    public static void Reset(FloeBuf* buffer, string name)
    {
        if (buffer == null)
        {
            throw Errors.InvalidArgument($"{name} must not be NULL");
        }

        buffer->Data = null;
        buffer->Len = 0;
    }

    /// <summary>Fills <paramref name="buffer"/> with a copy of <paramref name="bytes"/>.</summary>
    public static void Fill(FloeBuf* buffer, ReadOnlySpan<byte> bytes)
    {
        byte* memory = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(memory, bytes.Length));
        memory[bytes.Length] = 0;
        buffer->Data = memory;
        buffer->Len = (nuint)bytes.Length;
    }

    /// <summary>Fills <paramref name="buffer"/> with the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static void FillUtf8(FloeBuf* buffer, string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* memory = (byte*)NativeMemory.Alloc((nuint)length + 1);
        int written = Encoding.UTF8.GetBytes(text, new Span<byte>(memory, length));
        memory[written] = 0;
        buffer->Data = memory;
        buffer->Len = (nuint)written;
    }

    /// <summary>Frees a buffer's bytes and resets it; NULL and already-freed buffers are no-ops.</summary>
    public static void Free(FloeBuf* buffer)
    {
        if (buffer == null)
        {
            return;
        }

        NativeMemory.Free(buffer->Data);
        buffer->Data = null;
        buffer->Len = 0;
    }
}
