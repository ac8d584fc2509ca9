using System.Net;
using System.Net.Sockets;
using Floe.Application.Catalogs;
using Floe.Application.Warehouses;
using Floe.Catalog.Rest.Server;
using Floe.Iceberg.Catalog;

namespace Floe.Catalog.Rest.Tests;

/// <summary>
/// One of the three catalogs in a fresh temporary warehouse: the embedded SQLite file, PostgreSQL
/// (<c>FLOE_POSTGRES_URL</c>, started by <c>.ci/run</c>), or Floe's REST server (in this process, on a free port, over
/// a SQLite warehouse, or over PostgreSQL) reached by Floe's REST client. Every <see cref="Open"/> is an independent writer.
/// </summary>
internal sealed class CatalogUnderTest : IDisposable
{
    private readonly RestCatalogServer? _server;

    private CatalogUnderTest(string kind)
    {
        Kind = kind;
        Folder = Path.Combine(Path.GetTempPath(), "floe-cat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        switch (kind)
        {
            case "sqlite":
                Uri = null;
                break;
            case "postgresql":
                Uri = FreshPostgresUri();
                break;
            case "rest":
            case "rest-over-postgresql":
                var served = kind == "rest" ? null : FreshPostgresUri();
                _server = CatalogServing.Start(WarehouseFactory.Open(Folder, served, create: true), "127.0.0.1", port: 0, token: null);
                Uri = _server.Url;
                break;
            default:
                throw new ArgumentException(kind);
        }
    }

    public string Kind { get; }

    public string Folder { get; }

    public string? Uri { get; }

    public static CatalogUnderTest Start(string kind) => new(kind);

    /// <summary>A new, independent handle on the catalog (another writer).</summary>
    public Warehouse Open() => WarehouseFactory.Open(Folder, Uri, create: true);

    public void Dispose()
    {
        _server?.Dispose();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }

    /// <summary>
    /// A TCP port nothing listens on now. Only for a port that must stay closed: another process may take it at any
    /// time, so a server is started on port 0 instead.
    /// </summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>A catalog URI on the test PostgreSQL server with a catalog name of its own.</summary>
    public static string FreshPostgresUri()
    {
        var url = Environment.GetEnvironmentVariable("FLOE_POSTGRES_URL");
        if (string.IsNullOrEmpty(url))
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail("FLOE_POSTGRES_URL is not set: .ci/run must start PostgreSQL");
            Assert.Ignore("FLOE_POSTGRES_URL is not set (run through .ci/run, which starts PostgreSQL)");
        }
        return url + (url!.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "catalog=t" + Guid.NewGuid().ToString("N");
    }
}
