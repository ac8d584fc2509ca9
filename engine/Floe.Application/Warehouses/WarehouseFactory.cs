using Floe.Catalog.Postgres;
using Floe.Catalog.Rest.Client;
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
    public static Warehouse Open(string warehouse, string? catalog, bool create) => Open(warehouse, catalog, create, token: null, credential: null);

    /// <summary>
    /// As <see cref="Open(string, string?, bool)"/>, also accepting <c>http(s)://host:port[/path]</c> for an Iceberg
    /// REST catalog, reached with the bearer <paramref name="token"/> or the OAuth2 client credentials
    /// <paramref name="credential"/> (<c>id:secret</c>). A REST server that names a local warehouse folder in its
    /// config (Floe's own does) supplies the data location; otherwise <paramref name="warehouse"/> does.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument (unknown scheme, refused credentials), NotFound, Io (unreachable catalog).</exception>
    public static Warehouse Open(string warehouse, string? catalog, bool create, string? token, string? credential)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        if (warehouse.Contains("://", StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"warehouse '{PostgresConnectionUri.Redacted(warehouse)}' is a URI; the warehouse is a folder (pass a catalog URI with --catalog)");
        }
        if (!string.IsNullOrWhiteSpace(catalog) && !catalog.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return OpenShared(warehouse, catalog, token, credential);
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

    private static Warehouse OpenShared(string warehouse, string catalog, string? token, string? credential)
    {
        if (PostgresConnectionUri.IsPostgres(catalog))
        {
            var postgres = new PostgresCatalog(catalog, warehouse);
            return new Warehouse(warehouse, postgres, postgres);
        }
        if (catalog.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || catalog.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = new RestCatalog(catalog, warehouse, token, credential);
            if (rest.ServedWarehouse is { } served && Directory.Exists(served) && Path.GetFullPath(served) != Path.GetFullPath(warehouse))
            {
                // The server's tables live in its warehouse folder; reached here too, that is where their files are.
                rest.Dispose();
                rest = new RestCatalog(catalog, served, token, credential);
                return new Warehouse(served, rest, rest);
            }
            return new Warehouse(warehouse, rest, rest);
        }
        var scheme = catalog.Contains(':', StringComparison.Ordinal) ? catalog[..catalog.IndexOf(':', StringComparison.Ordinal)] : catalog;
        throw Errors.InvalidArgument($"catalog '{PostgresConnectionUri.Redacted(catalog)}': unknown scheme '{scheme}' (expected sqlite:PATH, postgresql://user@host:port/db or http(s)://host:port)");
    }
}
