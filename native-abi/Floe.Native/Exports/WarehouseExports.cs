using System.Runtime.InteropServices;
using Floe.Core.Errors;
using Floe.Application.Warehouses;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the warehouse module: <c>floe_warehouse_open/close/path</c>.</summary>
internal static unsafe class WarehouseExports
{
    /// <summary>
    /// <c>int floe_warehouse_open(floe_warehouse** out, const char* path)</c>: opens the warehouse at a folder,
    /// creating the folder and its catalog.db when missing.
    /// <c>*out</c> is the caller's, closed with <c>floe_warehouse_close</c>; it is NULL on failure.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (NULL out/path, empty or non-UTF-8 path), <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_warehouse_open")]
    public static int Open(nint* @out, byte* path)
    {
        try
        {
            string folder = Folder(@out, path);
            *@out = Handles.Warehouses.Add(new NativeWarehouse(WarehouseFactory.Open(folder, create: true)));
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_warehouse_open");
        }
    }

    /// <summary>
    /// <c>int floe_warehouse_open_catalog(floe_warehouse** out, const char* path, const char* catalog, const char* token)</c>:
    /// opens the warehouse folder <c>path</c> with the catalog at <c>catalog</c>, the URIs <c>floe --catalog</c> takes:
    /// <c>sqlite:PATH</c>, <c>postgresql://...</c> or <c>http(s)://host:port[/prefix]</c> (an Iceberg REST catalog;
    /// <c>token</c>, optional, is its bearer token). NULL <c>catalog</c> is the folder's own catalog.db. Nothing is
    /// created but the catalog's own tables; an unknown scheme or unreachable catalog is an error.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EIO</c>, <c>FLOE_EUNSUPPORTED</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_warehouse_open_catalog")]
    public static int OpenCatalog(nint* @out, byte* path, byte* catalog, byte* token)
    {
        try
        {
            string folder = Folder(@out, path);
            string? uri = Utf8Marshal.ReadOptional(catalog, "catalog");
            string? bearer = Utf8Marshal.ReadOptional(token, "token");
            *@out = Handles.Warehouses.Add(new NativeWarehouse(WarehouseFactory.Open(folder, uri, create: true, bearer, credential: null)));
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_warehouse_open_catalog");
        }
    }

    // The checks both opens make first: out (reset to NULL), then a present, non-empty path. Callers catch.
    private static string Folder(nint* @out, byte* path)
    {
        NativeCall.Reset(@out);
        string folder = Utf8Marshal.ReadRequired(path, "path");
        if (folder.Length == 0)
        {
            throw Errors.InvalidArgument("path must not be empty");
        }

        return folder;
    }

    /// <summary>
    /// <c>void floe_warehouse_close(floe_warehouse* w)</c>: closes the handle; NULL is a no-op, a closed or forged
    /// handle is ignored and reported through <c>floe_last_error</c> as <c>FLOE_EINVALID_HANDLE</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_warehouse_close")]
    public static void Close(nint warehouse)
    {
        try
        {
            if (warehouse != 0 && Handles.Warehouses.Remove(warehouse) is null)
            {
                throw Handles.Warehouses.Invalid(warehouse);
            }
        }
        catch (Exception e)
        {
            NativeCall.Fail(e, "floe_warehouse_close");
        }
    }

    /// <summary>
    /// <c>int floe_warehouse_path(floe_buf* out, const floe_warehouse* w)</c>: the absolute folder as UTF-8,
    /// freed with <c>floe_buf_free</c>; {NULL, 0} on failure.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (NULL out), <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_warehouse_path")]
    public static int GetPath(FloeBuf* @out, nint warehouse)
    {
        try
        {
            NativeBuffers.FillUtf8(@out, NativeCall.Open(@out, "out", warehouse).Directory);
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_warehouse_path");
        }
    }
}
