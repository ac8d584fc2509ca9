using System.Runtime.InteropServices;

namespace Floe.Native.Exports;

/// <summary>Exports of the version module: <c>floe_version</c>, <c>floe_abi_version</c>.</summary>
internal static unsafe class VersionExports
{
    /// <summary>The library version; must equal <c>FLOE_VERSION</c> in floe.h (checked by the C tests).</summary>
    internal const string Version = "0.1.0";

    /// <summary>The ABI generation; must equal <c>FLOE_ABI_VERSION</c> in floe.h (checked by the C tests).</summary>
    internal const int AbiVersionNumber = 1;

    private static readonly byte* VersionString = Utf8Marshal.AllocStatic("0.1.0"u8);

    /// <summary><c>const char* floe_version(void)</c>: static storage, borrowed, never freed, never NULL.</summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_version")]
    public static byte* GetVersion()
    {
        try
        {
            return VersionString;
        }
        catch (Exception)
        {
            // Only a failed static initialiser (out of memory) lands here; the header promises non-NULL.
            return LastError.OutOfMemoryRecord->Message;
        }
    }

    /// <summary><c>int floe_abi_version(void)</c>: the ABI generation bindings check at load.</summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_abi_version")]
    public static int GetAbiVersion()
    {
        try
        {
            return AbiVersionNumber;
        }
        catch (Exception)
        {
            return AbiVersionNumber;
        }
    }
}
