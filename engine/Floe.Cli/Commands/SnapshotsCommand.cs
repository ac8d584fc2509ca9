using System.CommandLine;
using Floe.Application.Tables;

namespace Floe.Cli.Commands;

/// <summary><c>floe snapshots NS.TABLE</c>: the snapshot history with refs.</summary>
internal static class SnapshotsCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var command = new Command("snapshots", "List a table's snapshots, oldest first") { name };
        CommandRunner.SetAction(command, parse =>
        {
            var snapshots = new TableService(GlobalOptions.OpenWarehouse(parse)).Snapshots(parse.GetValue(name)!);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json =>
                {
                    json.WriteStartArray();
                    foreach (var s in snapshots) s.WriteJson(json);
                    json.WriteEndArray();
                });
            }
            else
            {
                foreach (var s in snapshots) Console.WriteLine(s.ToText());
            }
            return 0;
        });
        return command;
    }
}
