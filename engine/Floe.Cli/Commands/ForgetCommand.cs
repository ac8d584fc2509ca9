using System.CommandLine;
using Floe.Application.Tables;
using Floe.Core.Errors;
using Floe.Online;

namespace Floe.Cli.Commands;

/// <summary>
/// <c>floe forget --entity KEY=VALUE [--tables NS.T,...] [--dry-run] [--reason TEXT] [--redis R]</c>: delete one entity's
/// rows everywhere, and with a Redis online store (<c>--redis</c> or <c>$FLOE_REDIS</c>) its online hashes too.
/// </summary>
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
            var report = new ForgetService(GlobalOptions.OpenWarehouse(parse)).Report(text[..eq], text[(eq + 1)..], list, dry, parse.GetValue(reason));
            OnlineForgetResult? online = null;
            if (OnlineCommands.Settings(parse) is { } redis)
            {
                using var store = OnlineStore.Connect(redis);
                online = OnlineForget.Forget(store, text[..eq], text[(eq + 1)..], dry);
            }
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(json =>
                {
                    json.WriteStartObject();
                    report.WriteJsonMembers(json);
                    if (online is not null)
                    {
                        json.WritePropertyName("online");
                        online.WriteJson(json);
                    }
                    json.WriteEndObject();
                });
            }
            else
            {
                foreach (var line in report.TextLines()) Console.WriteLine(line);
                foreach (var line in online?.TextLines(dry) ?? []) Console.WriteLine(line);
            }
            return 0;
        });
        return command;
    }
}
