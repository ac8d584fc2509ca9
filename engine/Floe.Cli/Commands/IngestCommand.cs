using System.CommandLine;
using Floe.Application.Ingest;
using Floe.Application.Tables;

namespace Floe.Cli.Commands;

/// <summary><c>floe ingest NS.TABLE FILE</c>: load a CSV or Parquet file in one commit.</summary>
internal static class IngestCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var file = new Argument<string>("FILE") { Description = "A .csv file (header row) or a .parquet file" };
        var mode = new Option<string>("--mode") { Description = "append, or overwrite-partitions (atomically replace the partitions present in FILE)", DefaultValueFactory = _ => "append" };
        mode.AcceptOnlyFromAmong("append", "overwrite-partitions");
        var branch = new Option<string>("--branch") { Description = "Commit to this branch (created if missing) instead of main", DefaultValueFactory = _ => "main" };
        var property = new Option<string[]>("--property") { Description = "Snapshot summary property k=v, e.g. floe.code-version=abc123 (repeatable)" };
        var command = new Command("ingest", "Load a CSV or Parquet file into a table in one atomic commit") { name, file, mode, branch, property };
        CommandRunner.SetAction(command, parse =>
        {
            var options = new IngestOptions
            {
                Mode = parse.GetValue(mode) == "overwrite-partitions" ? IngestMode.OverwritePartitions : IngestMode.Append,
                Branch = parse.GetValue(branch)!,
                Properties = TableService.ParseProperties(parse.GetValue(property) ?? Array.Empty<string>()),
            };
            var result = new IngestService(GlobalOptions.OpenWarehouse(parse)).Ingest(parse.GetValue(name)!, parse.GetValue(file)!, options);
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(result.WriteJson);
            }
            else
            {
                Console.WriteLine(result.ToText());
            }
            return 0;
        });
        return command;
    }
}
