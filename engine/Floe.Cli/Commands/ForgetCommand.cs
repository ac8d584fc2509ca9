using System.CommandLine;
using Floe.Application.Tables;
using Floe.Core.Errors;

namespace Floe.Cli.Commands;

/// <summary><c>floe forget --entity KEY=VALUE [--tables NS.T,...] [--dry-run] [--reason TEXT]</c>: delete one entity's rows everywhere.</summary>
internal static class ForgetCommand
{
    public static Command Build()
    {
        var entity = new Option<string>("--entity") { Description = "The entity to forget, KEY=VALUE (KEY is a column name)", Required = true };
        var tables = new Option<string?>("--tables") { Description = "Comma-separated tables (default: every table with column KEY)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count the matching rows per table; commit nothing" };
        var reason = new Option<string?>("--reason") { Description = "Why; recorded in each delete snapshot's summary" };
        var command = new Command("forget", "Delete one entity's rows from every table carrying its key column, one snapshot per table") { entity, tables, dryRun, reason };
        CommandRunner.SetAction(command, parse =>
        {
            var text = parse.GetValue(entity)!;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw Errors.InvalidArgument($"--entity '{text}' is not KEY=VALUE");
            var list = parse.GetValue(tables)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var dry = parse.GetValue(dryRun);
            var results = new ForgetService(GlobalOptions.OpenWarehouse(parse)).Forget(text[..eq], text[(eq + 1)..], list, dry, parse.GetValue(reason));
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteBoolean("dry_run", dry);
                    json.WriteStartArray("tables");
                    foreach (var r in results)
                    {
                        json.WriteStartObject();
                        json.WriteString("table", r.Table);
                        if (r.SnapshotId is { } id) json.WriteNumber("snapshot_id", id); else json.WriteNull("snapshot_id");
                        json.WriteNumber("deleted_rows", r.DeletedRows);
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                    json.WriteEndObject();
                });
            }
            else
            {
                foreach (var r in results)
                {
                    Console.WriteLine(dry
                        ? $"{r.Table}: {r.DeletedRows} rows would be deleted"
                        : $"{r.Table}: {r.DeletedRows} rows deleted" + (r.SnapshotId is { } id ? $" (snapshot {id})" : ""));
                }
                if (results.Count == 0) Console.WriteLine("no table has that column");
            }
            return 0;
        });
        return command;
    }
}
