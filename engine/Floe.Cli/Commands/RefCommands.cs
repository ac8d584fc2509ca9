using System.CommandLine;
using Floe.Application.Tables;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Cli.Commands;

/// <summary>The list/drop/replace subcommands branches and tags share.</summary>
internal static class RefCommands
{
    public static Command List(SnapshotRefType type)
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var command = new Command("list", $"List the table's {Plural(type)}") { table };
        CommandRunner.SetAction(command, parse =>
        {
            var refs = new RefService(GlobalOptions.OpenWarehouse(parse)).List(parse.GetValue(table)!, type);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json =>
                {
                    json.WriteStartArray();
                    foreach (var r in refs) r.WriteJson(json);
                    json.WriteEndArray();
                });
            }
            else
            {
                foreach (var r in refs) Console.WriteLine(r.ToText());
            }
            return 0;
        });
        return command;
    }

    public static Command Drop(SnapshotRefType type)
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var name = new Argument<string>("NAME") { Description = $"{Kind(type)} name" };
        var command = new Command("drop", $"Drop a {Kind(type)}{(type == SnapshotRefType.Branch ? " (never main)" : "")}") { table, name };
        CommandRunner.SetAction(command, parse =>
        {
            new RefService(GlobalOptions.OpenWarehouse(parse)).Drop(parse.GetValue(table)!, parse.GetValue(name)!, type);
            return 0;
        });
        return command;
    }

    public static Command Replace(SnapshotRefType type)
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var name = new Argument<string>("NAME") { Description = $"Existing {Kind(type)}" };
        var to = new Option<string>("--to") { Description = "Branch, tag or snapshot id to point at", Required = true };
        var command = new Command("replace", $"Point an existing {Kind(type)} at another snapshot") { table, name, to };
        CommandRunner.SetAction(command, parse =>
        {
            var replaced = new RefService(GlobalOptions.OpenWarehouse(parse)).Replace(parse.GetValue(table)!, parse.GetValue(name)!, type, parse.GetValue(to)!);
            Print(parse, replaced);
            return 0;
        });
        return command;
    }

    public static void Print(ParseResult parse, RefDescription description)
    {
        if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(description.WriteJson);
        else Console.WriteLine(description.ToText());
    }

    private static string Kind(SnapshotRefType type) => type == SnapshotRefType.Tag ? "tag" : "branch";

    private static string Plural(SnapshotRefType type) => type == SnapshotRefType.Tag ? "tags" : "branches";
}
