using System.Runtime.InteropServices;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the error module: <c>floe_last_error</c>.</summary>
internal static unsafe class ErrorExports
{
    /// <summary>
    /// <c>const floe_error* floe_last_error(void)</c>: the calling thread's last failure; never NULL, library-owned,
    /// valid until the thread's next floe_* call.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_last_error")]
    public static FloeError* GetLastError()
    {
        try
        {
            return LastError.Current;
        }
        catch (Exception)
        {
            return LastError.OutOfMemoryRecord;
        }
    }
}
