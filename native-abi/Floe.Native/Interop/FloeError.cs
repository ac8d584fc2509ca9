using System.Runtime.InteropServices;

namespace Floe.Native.Interop;

/// <summary>Blittable mirror of <c>floe_error</c>, the record <c>floe_last_error</c> points at.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FloeError
{
    /// <summary><c>int code</c>: a <c>FLOE_E*</c> value, or 0 before any failure.</summary>
    public int Code;

    /// <summary><c>const char* category</c>: static UTF-8 category name of the code.</summary>
    public byte* Category;

    /// <summary><c>const char* message</c>: UTF-8 message owned by the error slot.</summary>
    public byte* Message;
}
