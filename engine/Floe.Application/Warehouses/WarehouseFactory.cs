using Floe.Core.Errors;
using Floe.Iceberg.Catalog;

namespace Floe.Application.Warehouses;

/// <summary>
/// The one place a face turns a warehouse argument into an opened warehouse and its catalog, so the CLI and the
/// C ABI never construct storage types themselves and another catalog (REST, ...) plugs in here.
/// </summary>
public static class WarehouseFactory
{
    /// <summary>
    /// Opens the warehouse at the folder <paramref name="warehouse"/>. With <paramref name="create"/> a missing folder
    /// and catalog are created; without it (read-only and table-level commands) a folder that holds no catalog is
    /// <see cref="FloeErrorCode.NotFound"/> and nothing is written.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for an empty path, NotFound as above, Io when the folder cannot be made.</exception>
    public static Warehouse Open(string warehouse, bool create)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        if (string.IsNullOrWhiteSpace(warehouse)) throw Errors.InvalidArgument("warehouse path must not be empty");
        string folder;
        try
        {
            folder = Path.GetFullPath(warehouse);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Errors.InvalidArgument($"warehouse path '{warehouse}' is not valid: {e.Message}");
        }

        if (!create && !File.Exists(Path.Combine(folder, Warehouse.CatalogFileName)))
        {
            throw Errors.NotFound(Directory.Exists(folder)
                ? $"warehouse '{folder}' does not exist (the folder has no {Warehouse.CatalogFileName}; 'table create' makes one)"
                : $"warehouse '{folder}' does not exist ('table create' makes one)");
        }

        if (File.Exists(folder)) throw Errors.InvalidArgument($"warehouse '{folder}' is a file, not a folder");
        try
        {
            return new Warehouse(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Io(folder, e);
        }
    }
}
