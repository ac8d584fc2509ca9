using System.CommandLine;
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

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON output",
        Recursive = true,
    };

    public static Warehouse OpenWarehouse(ParseResult parse) => new(parse.GetValue(Warehouse)!);
}
