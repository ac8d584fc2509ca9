using System.CommandLine;
using Floe.Application.Warehouses;
using Floe.Iceberg.Catalog;

namespace Floe.Cli.Commands;

/// <summary>Options every command understands.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Warehouse = new("--warehouse")
    {
        Description = "Warehouse folder holding catalog.db and the tables (default: $FLOE_WAREHOUSE or ./warehouse)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLOE_WAREHOUSE") is { Length: > 0 } w ? w : "./warehouse",
    };

    public static readonly Option<string?> Catalog = new("--catalog")
    {
        Description = "Catalog URI: sqlite:PATH (default <warehouse>/catalog.db), postgresql://user[:password]@host[:port]/db or an Iceberg REST catalog http(s)://host:port[/path] (default: $FLOE_CATALOG)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLOE_CATALOG") is { Length: > 0 } c ? c : null,
    };

    public static readonly Option<string?> CatalogToken = new("--catalog-token")
    {
        Description = "Bearer token for a REST catalog (default: $FLOE_CATALOG_TOKEN)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLOE_CATALOG_TOKEN") is { Length: > 0 } t ? t : null,
    };

    public static readonly Option<string?> CatalogCredential = new("--catalog-credential")
    {
        Description = "CLIENT_ID:SECRET for a REST catalog's OAuth2 client-credentials flow (default: $FLOE_CATALOG_CREDENTIAL)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLOE_CATALOG_CREDENTIAL") is { Length: > 0 } c ? c : null,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON output",
        Recursive = true,
    };

    /// <summary>Opens the warehouse a command names; one that does not exist is NotFound, never created.</summary>
    public static Warehouse OpenWarehouse(ParseResult parse) => OpenWarehouse(parse, create: false);

    /// <summary>Opens the warehouse a command names; <paramref name="create"/> makes it when missing (table create/register).</summary>
    public static Warehouse OpenWarehouse(ParseResult parse, bool create) => WarehouseFactory.Open(
        parse.GetValue(Warehouse)!, parse.GetValue(Catalog), create, parse.GetValue(CatalogToken), parse.GetValue(CatalogCredential));
}
