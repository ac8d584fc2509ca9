using System.Runtime.InteropServices;

namespace Floe.Native.Interop;

/// <summary>
/// <c>floe_scan_options</c>: <c>{ uint32_t version; int64_t snapshot_id; const char* ref; const char* as_of;
/// const char* columns; const char* filter; }</c>. Fields are only ever appended.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FloeScanOptions
{
    /// <summary>The struct version the caller filled (1).</summary>
    public uint Version;

    /// <summary>The snapshot to read; 0 means none.</summary>
    public long SnapshotId;

    /// <summary>The branch or tag whose head to read, or NULL.</summary>
    public byte* Ref;

    /// <summary>Read what main showed at this time (the CLI's <c>--as-of</c> text), or NULL.</summary>
    public byte* AsOf;

    /// <summary>Comma-separated columns to project, or NULL for all.</summary>
    public byte* Columns;

    /// <summary>A row filter in the CLI's <c>--filter</c> syntax, or NULL.</summary>
    public byte* Filter;
}
