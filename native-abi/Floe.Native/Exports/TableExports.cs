using System.Runtime.InteropServices;
using Floe.Application.Tables;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports of the table module: <c>floe_table_create/describe/list</c> and <c>floe_table_snapshots</c>, each a thin call
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
            NativeWarehouse state = Handles.Warehouses.Get(warehouse);
            string table = Utf8Marshal.ReadRequired(name, "name");
            string schemaText = Utf8Marshal.ReadRequired(schema, "schema");
            string? partitionText = Utf8Marshal.ReadOptional(partition, "partition");
            new TableService(state.Warehouse).Create(table, schemaText, partitionText);
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_create");
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
            NativeBuffers.Reset(@out, "out_json");
            NativeWarehouse state = Handles.Warehouses.Get(warehouse);
            string table = Utf8Marshal.ReadRequired(name, "name");
            TableDescription description = new TableService(state.Warehouse).Describe(table);
            NativeJson.Fill(@out, description.WriteJson);
            return 0;
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
            NativeBuffers.Reset(@out, "out_json");
            NativeWarehouse state = Handles.Warehouses.Get(warehouse);
            IReadOnlyList<string> tables = new TableService(state.Warehouse).List();
            NativeJson.Fill(@out, json =>
            {
                json.WriteStartArray();
                foreach (string table in tables)
                {
                    json.WriteStringValue(table);
                }

                json.WriteEndArray();
            });
            return 0;
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
            NativeBuffers.Reset(@out, "out_json");
            NativeWarehouse state = Handles.Warehouses.Get(warehouse);
            string name = Utf8Marshal.ReadRequired(table, "table");
            IReadOnlyList<SnapshotDescription> snapshots = new TableService(state.Warehouse).Snapshots(name);
            NativeJson.Fill(@out, json =>
            {
                json.WriteStartArray();
                foreach (SnapshotDescription snapshot in snapshots)
                {
                    snapshot.WriteJson(json);
                }

                json.WriteEndArray();
            });
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_table_snapshots");
        }
    }
}
