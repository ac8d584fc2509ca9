using System.Runtime.InteropServices;
using Apache.Arrow.C;
using Floe.Application.Scanning;
using Floe.Core.Errors;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the scan module: <c>floe_scan_count</c>, <c>floe_scan_aggregate</c> and <c>floe_table_scan</c> over <see cref="ScanService"/>, as the CLI's <c>scan</c> command.</summary>
internal static unsafe class ScanExports
{
    /// <summary>
    /// <c>int floe_scan_count(int64_t* out, const floe_warehouse* w, const char* table, const char* filter)</c>: the
    /// number of rows main's current snapshot holds (matching filter when not NULL), as <c>floe scan --count</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (NULL out/table, bad filter), <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_scan_count")]
    public static int Count(long* @out, nint warehouse, byte* table, byte* filter)
    {
        try
        {
            NativeCall.Reset(@out);
            var scan = new ScanService(NativeCall.Open(warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            *@out = scan.Count(name, new ScanRequest { Filter = Utf8Marshal.ReadOptional(filter, "filter") }).Rows;
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_scan_count");
        }
    }

    /// <summary>
    /// <c>int floe_scan_aggregate(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* aggregates,
    /// const char* filter)</c>: ungrouped aggregates over main's current snapshot (matching filter when not NULL), as
    /// <c>floe scan --agg ... --json</c>; answered from statistics where they prove it. Fills
    /// <c>{"aggregates":[{"name","type","value"}],"snapshot_id","files_from_statistics",...}</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (NULL out/table/aggregates, bad list or filter, unknown column),
    /// <c>FLOE_EUNSUPPORTED</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_scan_aggregate")]
    public static int Aggregate(FloeBuf* @out, nint warehouse, byte* table, byte* aggregates, byte* filter)
    {
        try
        {
            var scan = new ScanService(NativeCall.Open(@out, "out_json", warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            string list = Utf8Marshal.ReadRequired(aggregates, "aggregates");
            var request = new ScanRequest { Filter = Utf8Marshal.ReadOptional(filter, "filter") };
            return NativeCall.Json(@out, scan.Aggregate(name, request, AggregateList.Parse(list)).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_scan_aggregate");
        }
    }

    /// <summary>
    /// <c>int floe_table_scan(struct ArrowArrayStream* out, const floe_warehouse* w, const char* table,
    /// const floe_scan_options* opts)</c>: plans the scan now (so a bad table, ref or filter fails here) and exports
    /// its batches lazily through the Arrow C Stream Interface; the caller releases <c>*out</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_scan")]
    public static int Scan(CArrowArrayStream* @out, nint warehouse, byte* table, FloeScanOptions* options)
    {
        try
        {
            NativeCall.Reset(@out);
            var service = new ScanService(NativeCall.Open(warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            var scan = service.Prepare(name, ReadOptions(options));
            var (tasks, _) = scan.PlanFiles();
            CArrowArrayStreamExporter.ExportArrayStream(new ScanBatchStream(scan, tasks), @out);
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_scan");
        }
    }

    private static ScanRequest ReadOptions(FloeScanOptions* options)
    {
        if (options == null)
        {
            return new ScanRequest();
        }

        if (options->Version != 1)
        {
            throw Errors.InvalidArgument($"opts->version {options->Version} is not supported (initialise with FLOE_SCAN_OPTIONS_INIT)");
        }

        string? columns = Utf8Marshal.ReadOptional(options->Columns, "opts->columns");
        return new ScanRequest
        {
            SnapshotId = options->SnapshotId == 0 ? null : options->SnapshotId,
            Ref = Utf8Marshal.ReadOptional(options->Ref, "opts->ref"),
            AsOf = Utf8Marshal.ReadOptional(options->AsOf, "opts->as_of"),
            Columns = columns?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Filter = Utf8Marshal.ReadOptional(options->Filter, "opts->filter"),
        };
    }
}
