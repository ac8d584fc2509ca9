using System.Runtime.InteropServices;
using Floe.Application.Backfill;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the lineage module: <c>floe_lineage_describe</c>, the CLI's <c>lineage</c> command over <see cref="LineageService"/>.</summary>
internal static unsafe class LineageExports
{
    private static readonly string[] SelectorFields = ["snapshot_id", "ref", "as_of"];

    /// <summary>
    /// <c>int floe_lineage_describe(floe_buf* out, floe_warehouse* w, const char* table, const char* selector_json)</c>:
    /// the JSON of <c>floe lineage --json</c>; selector_json (NULL = main's head) may name <c>snapshot_id</c>,
    /// <c>ref</c> or <c>as_of</c>. Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_lineage_describe")]
    public static int Describe(FloeBuf* @out, nint warehouse, byte* table, byte* selectorJson)
    {
        try
        {
            var lineage = new LineageService(NativeCall.Open(@out, "out", warehouse));
            string tableName = Utf8Marshal.ReadRequired(table, "table");
            using var selector = NativeRequest.Parse(Utf8Marshal.ReadOptional(selectorJson, "selector_json"), "selector_json", SelectorFields);
            LineageReport report = lineage.Describe(tableName, selector.Long("snapshot_id"), selector.String("ref"), selector.String("as_of"));
            return NativeCall.Json(@out, report.WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_lineage_describe");
        }
    }
}
