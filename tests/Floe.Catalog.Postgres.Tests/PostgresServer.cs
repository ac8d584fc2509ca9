using NUnit.Framework;

namespace Floe.Catalog.Postgres.Tests;

/// <summary>
/// The real PostgreSQL server the tests use: <c>FLOE_POSTGRES_URL</c> (<c>.ci/run</c> starts one with initdb +
/// pg_ctl on a free 127.0.0.1 port and stops it afterwards). Missing in CI, that is a failure, not a skip.
/// </summary>
internal static class PostgresServer
{
    /// <summary>A catalog URI on the server with a catalog name of its own, so tests never see each other's tables.</summary>
    public static string FreshCatalogUri()
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
