using System.Runtime.InteropServices;
using Floe.Application.Maintenance;
using Floe.Application.Tables;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports of the table module: <c>floe_table_create/create_with_properties/upgrade/forget/describe/list/snapshots/check/drop/register</c>, each a thin call
/// into <see cref="TableService"/> as the CLI's <c>table</c> and <c>snapshots</c> commands make it.
/// </summary>
internal static unsafe class TableExports
{
    /// <summary>
    /// <c>int floe_table_create(const floe_warehouse* w, const char* name, const char* schema, const char* partition)</c>:
    /// creates a format-v2 table (the CLI's <c>table create NAME --schema S [--partition P]</c>); partition may be NULL.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (NULL/non-UTF-8 text, bad schema or partition), <c>FLOE_EEXISTS</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_create")]
    public static int Create(nint warehouse, byte* name, byte* schema, byte* partition)
    {
        try
        {
            return CreateTable(warehouse, name, schema, partition, null);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_create");
        }
    }

    /// <summary>
    /// <c>int floe_table_create_with_properties(const floe_warehouse* w, const char* name, const char* schema, const char* partition, const char* properties_json)</c>:
    /// creates a table with table properties (the CLI's <c>table create ... --property K=V</c>); <c>properties_json</c>
    /// is NULL or a JSON object of strings, where <c>"format-version": "3"</c> makes a format-v3 table.
    /// Errors: as <c>floe_table_create</c>, and <c>FLOE_EINVALID_ARG</c> for properties that are not an object of strings.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_create_with_properties")]
    public static int CreateWithProperties(nint warehouse, byte* name, byte* schema, byte* partition, byte* propertiesJson)
    {
        try
        {
            return CreateTable(warehouse, name, schema, partition, propertiesJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_create_with_properties");
        }
    }

    // Callers catch: an export's whole body must sit inside its own try (ExportShapeTests checks the IL).
    private static int CreateTable(nint warehouse, byte* name, byte* schema, byte* partition, byte* propertiesJson)
    {
        var tables = new TableService(NativeCall.Open(warehouse));
        string table = Utf8Marshal.ReadRequired(name, "name");
        string schemaText = Utf8Marshal.ReadRequired(schema, "schema");
        string? partitionText = Utf8Marshal.ReadOptional(partition, "partition");
        IReadOnlyDictionary<string, string> properties = NativeJson.ParseStringMap(Utf8Marshal.ReadOptional(propertiesJson, "properties_json"), "properties_json");
        tables.Create(table, schemaText, partitionText, properties);
        return 0;
    }

    /// <summary>
    /// <c>int floe_table_upgrade(floe_buf* out_json, const floe_warehouse* w, const char* name, int format_version)</c>:
    /// upgrades the table's format version in one commit (the CLI's <c>table upgrade</c>) and fills its description.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (downgrade), <c>FLOE_EUNSUPPORTED</c> (above v3), <c>FLOE_ENOTFOUND</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_upgrade")]
    public static int Upgrade(FloeBuf* @out, nint warehouse, byte* name, int formatVersion)
    {
        try
        {
            var tables = new TableService(NativeCall.Open(@out, "out_json", warehouse));
            return NativeCall.Json(@out, tables.Upgrade(Utf8Marshal.ReadRequired(name, "name"), formatVersion).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_upgrade");
        }
    }

    /// <summary>
    /// <c>int floe_table_forget(floe_buf* out_json, const floe_warehouse* w, const char* key, const char* value, const char* tables, int dry_run, const char* reason)</c>:
    /// deletes one entity's rows from every table with column <c>key</c> (or the comma-separated <c>tables</c>), one
    /// snapshot per table, as <c>floe forget --json</c> without an online store; fills <see cref="ForgetReport.WriteJson"/>.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_forget")]
    public static int Forget(FloeBuf* @out, nint warehouse, byte* key, byte* value, byte* tables, int dryRun, byte* reason)
    {
        try
        {
            var forget = new ForgetService(NativeCall.Open(@out, "out_json", warehouse));
            string column = Utf8Marshal.ReadRequired(key, "key");
            string entity = Utf8Marshal.ReadRequired(value, "value");
            string[]? list = Utf8Marshal.ReadOptional(tables, "tables")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string? why = Utf8Marshal.ReadOptional(reason, "reason");
            return NativeCall.Json(@out, forget.Report(column, entity, list, dryRun != 0, why).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_forget");
        }
    }

    /// <summary>
    /// <c>int floe_table_describe(floe_buf* out_json, const floe_warehouse* w, const char* name)</c>: the table as the
    /// JSON of <c>floe table show --json</c> (<see cref="TableDescription.WriteJson"/>), freed with <c>floe_buf_free</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_describe")]
    public static int Describe(FloeBuf* @out, nint warehouse, byte* name)
    {
        try
        {
            var tables = new TableService(NativeCall.Open(@out, "out_json", warehouse));
            return NativeCall.Json(@out, tables.Describe(Utf8Marshal.ReadRequired(name, "name")).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_describe");
        }
    }

    /// <summary>
    /// <c>int floe_table_list(floe_buf* out_json, const floe_warehouse* w)</c>: a JSON array of table names, as
    /// <c>floe table list --json</c> prints; freed with <c>floe_buf_free</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_list")]
    public static int List(FloeBuf* @out, nint warehouse)
    {
        try
        {
            var tables = new TableService(NativeCall.Open(@out, "out_json", warehouse));
            return NativeCall.JsonArray(@out, tables.List(), static (json, name) => json.WriteStringValue(name));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_list");
        }
    }

    /// <summary>
    /// <c>int floe_table_snapshots(floe_buf* out_json, const floe_warehouse* w, const char* table)</c>: the table's snapshots,
    /// oldest first, as the JSON array of <c>floe snapshots --json</c> (<see cref="SnapshotDescription.WriteJson"/>).
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_snapshots")]
    public static int Snapshots(FloeBuf* @out, nint warehouse, byte* table)
    {
        try
        {
            var tables = new TableService(NativeCall.Open(@out, "out_json", warehouse));
            IReadOnlyList<SnapshotDescription> snapshots = tables.Snapshots(Utf8Marshal.ReadRequired(table, "table"));
            return NativeCall.JsonArray(@out, snapshots, static (json, snapshot) => snapshot.WriteJson(json));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_snapshots");
        }
    }

    /// <summary>
    /// <c>int floe_table_check(floe_buf* out_json, const floe_warehouse* w, const char* table, int all_snapshots)</c>:
    /// loads the table and verifies the files its current snapshot (every snapshot when <c>all_snapshots</c> is non-zero)
    /// references, as <c>floe table check --json</c>. A broken table is a result (<c>"healthy":false</c>), not an error.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c> (unreadable metadata),
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_check")]
    public static int Check(FloeBuf* @out, nint warehouse, byte* table, int allSnapshots)
    {
        try
        {
            var maintenance = new MaintenanceService(NativeCall.Open(@out, "out_json", warehouse));
            var result = maintenance.Check(Utf8Marshal.ReadRequired(table, "table"), allSnapshots != 0);
            return NativeCall.Json(@out, json => MaintenanceReports.WriteJson(json, result));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_check");
        }
    }

    /// <summary>
    /// <c>int floe_table_drop(floe_buf* out_json, const floe_warehouse* w, const char* table, int purge, int delete_registered_files)</c>:
    /// drops the table from the catalog; with <c>purge</c> also deletes exactly the files its metadata references, which
    /// for a registered table is refused unless <c>delete_registered_files</c> (the CLI's <c>table drop [--purge]
    /// [--delete-registered-files]</c>). Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EUNSUPPORTED</c>
    /// or <c>FLOE_EVALIDATION</c> when a safety rule refuses, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_drop")]
    public static int Drop(FloeBuf* @out, nint warehouse, byte* table, int purge, int deleteRegisteredFiles)
    {
        try
        {
            var tables = new TableService(NativeCall.Open(@out, "out_json", warehouse));
            var result = tables.Drop(Utf8Marshal.ReadRequired(table, "table"), purge != 0, deleteRegisteredFiles != 0);
            return NativeCall.Json(@out, json => MaintenanceReports.WriteJson(json, result));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_drop");
        }
    }

    /// <summary>
    /// <c>int floe_table_register(floe_buf* out_json, const floe_warehouse* w, const char* name, const char* metadata_file, const char* location_map_json)</c>:
    /// registers an existing Iceberg table by its metadata file (the CLI's <c>table register</c>); the optional
    /// <c>location_map_json</c> is a JSON object <c>{"FROM":"TO"}</c> of location prefixes. Fills the table description.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EEXISTS</c>, <c>FLOE_EINVALID_DATA</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_register")]
    public static int Register(FloeBuf* @out, nint warehouse, byte* name, byte* metadataFile, byte* locationMapJson)
    {
        try
        {
            var tables = new TableService(NativeCall.Open(@out, "out_json", warehouse));
            string table = Utf8Marshal.ReadRequired(name, "name");
            string metadata = Utf8Marshal.ReadRequired(metadataFile, "metadata_file");
            IReadOnlyDictionary<string, string> map = NativeJson.ParseStringMap(Utf8Marshal.ReadOptional(locationMapJson, "location_map_json"), "location_map_json");
            var mappings = new List<(string From, string To)>(map.Count);
            foreach (KeyValuePair<string, string> pair in map)
            {
                mappings.Add((pair.Key, pair.Value));
            }

            return NativeCall.Json(@out, tables.Register(table, metadata, mappings).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_register");
        }
    }

    /// <summary>
    /// <c>int floe_table_delete(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* filter, const char* branch)</c>:
    /// deletes exactly the rows matching <c>filter</c> in one snapshot, as <c>floe delete --json</c> (whole files when all
    /// their rows match, else copy-on-write rewrites); <c>branch</c> NULL = main. Fills
    /// <c>{"snapshot_id","deleted_files","rewritten_files","deleted_rows","summary"}</c>; snapshot_id 0 when no row matched.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EVALIDATION</c>/<c>FLOE_EUNSUPPORTED</c>,
    /// <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_table_delete")]
    public static int Delete(FloeBuf* @out, nint warehouse, byte* table, byte* filter, byte* branch)
    {
        try
        {
            var delete = new DeleteService(NativeCall.Open(@out, "out_json", warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            string filterText = Utf8Marshal.ReadRequired(filter, "filter");
            string branchName = Utf8Marshal.ReadOptional(branch, "branch") ?? "main";
            return NativeCall.Json(@out, delete.Delete(name, filterText, branchName).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_delete");
        }
    }
}
