using System.Runtime.InteropServices;
using Floe.Application.Maintenance;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports of the maintenance module: <c>floe_maintenance_expire_snapshots/remove_orphans/compact</c>, each a thin call
/// into <see cref="MaintenanceService"/> as the CLI's commands of the same names, filling the JSON those print with <c>--json</c>.
/// </summary>
internal static unsafe class MaintenanceExports
{
    /// <summary>
    /// <c>int floe_maintenance_expire_snapshots(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* older_than, int32_t retain_last, int dry_run, int delete_registered_files)</c>:
    /// <c>older_than</c> NULL = no age bound, <c>retain_last</c> &lt;= 0 = no count bound.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_maintenance_expire_snapshots")]
    public static int ExpireSnapshots(FloeBuf* @out, nint warehouse, byte* table, byte* olderThan, int retainLast, int dryRun, int deleteRegisteredFiles)
    {
        try
        {
            var maintenance = new MaintenanceService(NativeCall.Open(@out, "out_json", warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            string? age = Utf8Marshal.ReadOptional(olderThan, "older_than");
            var result = maintenance.ExpireSnapshots(name, age, retainLast > 0 ? retainLast : null, dryRun != 0, deleteRegisteredFiles != 0);
            return NativeCall.Json(@out, json => MaintenanceReports.WriteJson(json, result));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_maintenance_expire_snapshots");
        }
    }

    /// <summary>
    /// <c>int floe_maintenance_remove_orphans(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* older_than, int dry_run, int delete_registered_files)</c>:
    /// <c>older_than</c> NULL = 3 days ago. A registered table is refused (dry runs aside) unless <c>delete_registered_files</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EUNSUPPORTED</c>/<c>FLOE_EVALIDATION</c> when a safety
    /// rule refuses, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_maintenance_remove_orphans")]
    public static int RemoveOrphans(FloeBuf* @out, nint warehouse, byte* table, byte* olderThan, int dryRun, int deleteRegisteredFiles)
    {
        try
        {
            var maintenance = new MaintenanceService(NativeCall.Open(@out, "out_json", warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            var result = maintenance.RemoveOrphans(name, Utf8Marshal.ReadOptional(olderThan, "older_than"), dryRun != 0, deleteRegisteredFiles != 0);
            return NativeCall.Json(@out, json => MaintenanceReports.WriteJson(json, result));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_maintenance_remove_orphans");
        }
    }

    /// <summary>
    /// <c>int floe_maintenance_compact(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* filter, int64_t target_file_size_bytes, int64_t min_file_size_bytes, int32_t min_input_files)</c>:
    /// rewrites small data files of the partitions <c>filter</c> selects (NULL = all) without changing a row; each
    /// number &lt;= 0 takes the default. Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_maintenance_compact")]
    public static int Compact(FloeBuf* @out, nint warehouse, byte* table, byte* filter, long targetFileSizeBytes, long minFileSizeBytes, int minInputFiles)
    {
        try
        {
            var maintenance = new MaintenanceService(NativeCall.Open(@out, "out_json", warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            string? filterText = Utf8Marshal.ReadOptional(filter, "filter");
            var result = maintenance.Compact(name, filterText,
                targetFileSizeBytes > 0 ? targetFileSizeBytes : null,
                minFileSizeBytes > 0 ? minFileSizeBytes : null,
                minInputFiles > 0 ? minInputFiles : null);
            return NativeCall.Json(@out, json => MaintenanceReports.WriteJson(json, result));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_maintenance_compact");
        }
    }
}
