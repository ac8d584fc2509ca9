using System.CommandLine;
using Floe.Application.Maintenance;
using Floe.Application.Tables;

namespace Floe.Cli.Commands;

/// <summary><c>floe table create|register|list|show|drop|check|upgrade</c>.</summary>
internal static class TableCommands
{
    public static Command Build()
    {
        var table = new Command("table", "Create, register, list, show and drop tables");
        table.Add(Create());
        table.Add(Register());
        table.Add(List());
        table.Add(Show());
        table.Add(Drop());
        table.Add(Check());
        table.Add(Upgrade());
        return table;
    }

    private static Command Create()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var schema = new Option<string>("--schema") { Description = "Columns: \"name:type[ not null],...\" with types boolean, int, long, float, double, decimal(P,S), date, time, timestamp, timestamptz, timestamp_ns and timestamptz_ns (format v3), string, uuid, binary, fixed[L], and nested struct<name:type,...>, list<type>, map<keytype,valuetype>", Required = true };
        var partition = new Option<string?>("--partition") { Description = "Hidden partitioning, e.g. \"day(event_time),bucket(16,entity_id)\"; transforms identity, year, month, day, hour, bucket(N,col), truncate(W,col), void" };
        var property = new Option<string[]>("--property") { Description = "Table property key=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("create", "Create a table (format v2; --property format-version=3 for v3)") { name, schema, partition, property };
        CommandRunner.SetAction(command, parse =>
        {
            var service = new TableService(GlobalOptions.OpenWarehouse(parse, create: true));
            var description = service.Create(parse.GetValue(name)!, parse.GetValue(schema)!, parse.GetValue(partition),
                TableService.ParseProperties(parse.GetValue(property) ?? Array.Empty<string>()));
            Print(parse, description);
            return 0;
        });
        return command;
    }

    private static Command Upgrade()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var version = new Option<int>("--format-version") { Description = "Format version to upgrade to (default 3); downgrades are refused", DefaultValueFactory = _ => 3 };
        var command = new Command("upgrade", "Upgrade a table's format version (v2 to v3) through a normal commit") { name, version };
        CommandRunner.SetAction(command, parse =>
        {
            Print(parse, new TableService(GlobalOptions.OpenWarehouse(parse)).Upgrade(parse.GetValue(name)!, parse.GetValue(version)));
            return 0;
        });
        return command;
    }

    private static Command Register()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Name to register the table under" };
        var metadata = new Argument<string>("METADATA_JSON") { Description = "Path of the table's metadata.json" };
        var map = new Option<string[]>("--location-map") { Description = "FROM=TO: read locations starting with FROM from local folder TO (repeatable; default maps the metadata's location to the folder above metadata/)" };
        var command = new Command("register", "Register an existing Iceberg table by its metadata file") { name, metadata, map };
        CommandRunner.SetAction(command, parse =>
        {
            var service = new TableService(GlobalOptions.OpenWarehouse(parse, create: true));
            var mappings = TableService.ParseLocationMap(parse.GetValue(map) ?? Array.Empty<string>());
            Print(parse, service.Register(parse.GetValue(name)!, parse.GetValue(metadata)!, mappings));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List tables");
        CommandRunner.SetAction(command, parse =>
        {
            var tables = new TableService(GlobalOptions.OpenWarehouse(parse)).List();
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json =>
                {
                    json.WriteStartArray();
                    foreach (var t in tables) json.WriteStringValue(t);
                    json.WriteEndArray();
                });
            }
            else
            {
                foreach (var t in tables) Console.WriteLine(t);
            }
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var command = new Command("show", "Show schema, partition spec, current snapshot and metadata location") { name };
        CommandRunner.SetAction(command, parse =>
        {
            Print(parse, new TableService(GlobalOptions.OpenWarehouse(parse)).Describe(parse.GetValue(name)!));
            return 0;
        });
        return command;
    }

    private static Command Drop()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var purge = new Option<bool>("--purge") { Description = "Also delete exactly the files the table's metadata references (inside the warehouse only)" };
        var registered = DeleteRegisteredFiles();
        var command = new Command("drop", "Drop a table from the catalog") { name, purge, registered };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new TableService(GlobalOptions.OpenWarehouse(parse)).Drop(parse.GetValue(name)!, parse.GetValue(purge), parse.GetValue(registered));
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(json => MaintenanceReports.WriteJson(json, result));
            else Console.WriteLine(MaintenanceReports.ToText(result));
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var all = new Option<bool>("--all-snapshots") { Description = "Check the files of every snapshot, not only the current one" };
        var command = new Command("check", "Verify that every file the table references exists, has its recorded size and (Parquet) row count; exit 5 when one does not") { name, all };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new MaintenanceService(GlobalOptions.OpenWarehouse(parse)).Check(parse.GetValue(name)!, parse.GetValue(all));
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(json => MaintenanceReports.WriteJson(json, result));
            else Console.WriteLine(MaintenanceReports.ToText(result));
            return result.Healthy ? 0 : CommandRunner.ExitCode(Floe.Core.Errors.FloeErrorCode.InvalidData);
        });
        return command;
    }

    /// <summary>The explicit consent every file-deleting command needs for a table Floe did not create.</summary>
    internal static Option<bool> DeleteRegisteredFiles() => new("--delete-registered-files")
    {
        Description = "Allow deleting files of a registered table (one Floe did not create); run with --dry-run first where offered",
    };

    private static void Print(ParseResult parse, TableDescription description)
    {
        if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(description.WriteJson);
        else Console.WriteLine(description.ToText());
    }
}
