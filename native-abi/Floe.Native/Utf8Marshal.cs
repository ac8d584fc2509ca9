using System.Runtime.InteropServices;
using System.Text;
using Floe.Core.Errors;

namespace Floe.Native;

/// <summary>
/// UTF-8 strings across the ABI: reading caller strings (validated, invalid UTF-8 is
/// <see cref="FloeErrorCode.InvalidArgument"/>) and allocating NUL-terminated copies in native memory.
/// </summary>
internal static unsafe class Utf8Marshal
{
    /// <summary>Reads a NUL-terminated UTF-8 argument that must be present.</summary>
    /// <param name="value">The caller's pointer; borrowed.</param>
    /// <param name="name">The C parameter name, used in error messages.</param>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> when NULL or not UTF-8.</exception>
    public static string ReadRequired(byte* value, string name)
    {
        if (value == null)
        {
            throw Errors.InvalidArgument($"{name} must not be NULL");
        }

        return Decode(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(value), name);
    }

    /// <summary>Reads a NUL-terminated UTF-8 argument that may be NULL (giving null).</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> when not UTF-8.</exception>
    public static string? ReadOptional(byte* value, string name) =>
        value == null ? null : Decode(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(value), name);

    /// <summary>Decodes UTF-8 strictly: malformed, overlong and surrogate sequences are rejected, not replaced.</summary>
    /// <exception cref="FloeException"><see cref="FloeErrorCode.InvalidArgument"/> naming the first bad byte.</exception>
    public static string Decode(ReadOnlySpan<byte> utf8, string name)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw Errors.InvalidArgument($"{name} is not valid UTF-8 (byte {FirstInvalidByte(utf8)})");
        }

        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>
    /// Allocates a NUL-terminated UTF-8 copy of <paramref name="value"/> with <see cref="NativeMemory"/>;
    /// the caller frees it with <see cref="NativeMemory.Free"/>.
    /// </summary>
    /// <exception cref="OutOfMemoryException">The allocation failed.</exception>
    public static byte* Alloc(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        byte* memory = (byte*)NativeMemory.Alloc((nuint)length + 1);
        int written = Encoding.UTF8.GetBytes(value, new Span<byte>(memory, length));
        memory[written] = 0;
        return memory;
    }

    /// <summary>Allocates a NUL-terminated copy of static UTF-8 text that lives until the process ends.</summary>
    public static byte* AllocStatic(ReadOnlySpan<byte> utf8)
    {
        byte* memory = (byte*)NativeMemory.Alloc((nuint)utf8.Length + 1);
        utf8.CopyTo(new Span<byte>(memory, utf8.Length));
        memory[utf8.Length] = 0;
        return memory;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        int offset = 0;
        while (offset < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[offset..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }
}
