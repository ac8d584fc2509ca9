using System.Runtime.InteropServices;

namespace Floe.Native.Exports;

internal static unsafe class VersionExports
{
    private static readonly byte* VersionString = (byte*)NativeMemory.AllocZeroed(16);

    static VersionExports()
    {
        "0.1.0"u8.CopyTo(new Span<byte>(VersionString, 15));
    }

    /// <summary>floe_version: the library version string, static storage, never freed.</summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_version")]
    public static byte* Version() => VersionString;

    /// <summary>floe_abi_version: the ABI version bindings check at load.</summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_abi_version")]
    public static int AbiVersion() => 1;
}
