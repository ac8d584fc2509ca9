using Floe.Catalog.Postgres;
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
    public static Warehouse Open(string warehouse, bool create) => Open(warehouse, catalog: null, create);

    /// <summary>
    /// Opens the warehouse folder <paramref name="warehouse"/> (the tables' data) with the catalog
    /// <paramref name="catalog"/> names: null or <c>sqlite:PATH</c> for the embedded SQLite catalog (default
    /// <c>&lt;warehouse&gt;/catalog.db</c>), <c>postgresql://user[:password]@host[:port]/db[?options]</c> for a shared
    /// catalog in the Iceberg JDBC layout. Without <paramref name="create"/> an embedded catalog that does not exist is
    /// NotFound and nothing is written.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for an unknown scheme or a catalog URI given as the warehouse; NotFound, Io.</exception>
    public static Warehouse Open(string warehouse, string? catalog, bool create)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        if (warehouse.Contains("://", StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"warehouse '{PostgresConnectionUri.Redacted(warehouse)}' is a URI; the warehouse is a folder (pass a catalog URI with --catalog)");
        }
        if (!string.IsNullOrWhiteSpace(catalog) && !catalog.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return OpenShared(warehouse, catalog);
        }
        var database = string.IsNullOrWhiteSpace(catalog) ? null : catalog["sqlite:".Length..];
        if (database is { Length: 0 }) throw Errors.InvalidArgument("catalog 'sqlite:' names no database file (sqlite:PATH)");
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

        var databasePath = database is null ? Path.Combine(folder, Warehouse.CatalogFileName) : Path.GetFullPath(database);
        if (!create && !File.Exists(databasePath))
        {
            throw Errors.NotFound(Directory.Exists(folder)
                ? $"warehouse '{folder}' does not exist (the folder has no {Warehouse.CatalogFileName}; 'table create' makes one)"
                : $"warehouse '{folder}' does not exist ('table create' makes one)");
        }

        if (File.Exists(folder)) throw Errors.InvalidArgument($"warehouse '{folder}' is a file, not a folder");
        try
        {
            return new Warehouse(folder, databasePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Io(folder, e);
        }
    }

    private static Warehouse OpenShared(string warehouse, string catalog)
    {
        if (PostgresConnectionUri.IsPostgres(catalog))
        {
            var postgres = new PostgresCatalog(catalog, warehouse);
            return new Warehouse(warehouse, postgres, postgres);
        }
        if (catalog.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || catalog.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.Unsupported($"catalog '{catalog}': the Iceberg REST catalog client is not built yet (sqlite: and postgresql:// are)");
        }
        var scheme = catalog.Contains(':', StringComparison.Ordinal) ? catalog[..catalog.IndexOf(':', StringComparison.Ordinal)] : catalog;
        throw Errors.InvalidArgument($"catalog '{PostgresConnectionUri.Redacted(catalog)}': unknown scheme '{scheme}' (expected sqlite:PATH or postgresql://user@host:port/db)");
    }
}
