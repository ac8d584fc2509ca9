using System.CommandLine;
using System.Runtime.InteropServices;
using Floe.Application.Catalogs;

namespace Floe.Cli.Commands;

/// <summary><c>floe catalog serve</c>.</summary>
internal static class CatalogCommands
{
    public static Command Build()
    {
        var catalog = new Command("catalog", "Share the warehouse's catalog with other engines");
        catalog.Add(Serve());
        return catalog;
    }

    private static Command Serve()
    {
        var port = new Option<int>("--port") { Description = $"TCP port (default {CatalogServing.DefaultPort}; 0: any free port, printed on start)", DefaultValueFactory = _ => CatalogServing.DefaultPort };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token")
        {
            Description = "Require this bearer token on every request (default: $FLOE_CATALOG_SERVE_TOKEN; none: no authentication)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLOE_CATALOG_SERVE_TOKEN") is { Length: > 0 } t ? t : null,
        };
        var command = new Command("serve", "Serve the catalog over the Iceberg REST protocol until interrupted") { port, bind, token };
        CommandRunner.SetAction(command, parse =>
        {
            using var stop = new CancellationTokenSource();
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            var warehouse = GlobalOptions.OpenWarehouse(parse, create: true);
            using var server = CatalogServing.Start(warehouse, parse.GetValue(bind)!, parse.GetValue(port), parse.GetValue(token));
            Console.WriteLine($"serving the catalog of {warehouse.Directory} at {server.Url} (Ctrl-C stops)");
            Console.Out.Flush();
            server.RunUntil(stop.Token);
            return 0;
        });
        return command;
    }
}
