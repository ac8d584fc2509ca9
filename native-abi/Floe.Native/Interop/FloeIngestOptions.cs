using System.Runtime.InteropServices;

namespace Floe.Native.Interop;

/// <summary>
/// <c>floe_ingest_options</c>: <c>{ uint32_t version; int mode; const char* branch; const char* properties_json; }</c>.
/// Fields are only ever appended; <see cref="Version"/> says how many the caller knows.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FloeIngestOptions
{
    /// <summary>The struct version the caller filled (1).</summary>
    public uint Version;

    /// <summary><c>FLOE_INGEST_APPEND</c> (0) or <c>FLOE_INGEST_OVERWRITE_PARTITIONS</c> (1).</summary>
    public int Mode;

    /// <summary>The branch to commit to; NULL means main.</summary>
    public byte* Branch;

    /// <summary>Snapshot summary properties as a JSON object of strings, or NULL.</summary>
    public byte* PropertiesJson;
}
