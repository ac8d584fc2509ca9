using Floe.Catalog.Rest.Client;
using Floe.Catalog.Rest.Server;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;

namespace Floe.Application.Catalogs;

/// <summary>Serves a warehouse's catalog (SQLite or PostgreSQL) over the Iceberg REST protocol: <c>floe catalog serve</c>.</summary>
public static class CatalogServing
{
    /// <summary>The port Iceberg REST catalogs conventionally use.</summary>
    public const int DefaultPort = 8181;

    /// <summary>
    /// Starts serving <paramref name="warehouse"/> on <paramref name="bind"/>:<paramref name="port"/>; with
    /// <paramref name="token"/>, every request must carry it as a bearer token. Dispose the result to stop.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument (bad address, a REST catalog to re-serve), Io (address in use).</exception>
    public static RestCatalogServer Start(Warehouse warehouse, string bind, int port, string? token)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        if (warehouse.Catalog is RestCatalog) throw Errors.InvalidArgument("the catalog is already a REST catalog; serve the SQLite or PostgreSQL catalog behind it");
        var server = new RestCatalogServer(new RestCatalogService(warehouse, token), bind, port);
        server.Start();
        return server;
    }
}
