using System.CommandLine;
using Floe.Application.Maintenance;
using Floe.Application.Tables;

namespace Floe.Cli.Commands;

/// <summary><c>floe cherry-pick</c>, <c>floe expire-snapshots</c>, <c>floe remove-orphans</c>, <c>floe compact</c>.</summary>
internal static class MaintenanceCommands
{
    public static IEnumerable<Command> Build() => new[] { CherryPick(), ExpireSnapshots(), RemoveOrphans(), Compact() };

    private static Command CherryPick()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var snapshot = new Argument<string>("SNAPSHOT") { Description = "Snapshot id to apply (an append or a dynamic partition overwrite, typically staged on a branch)" };
        var branch = new Option<string?>("--branch") { Description = "Branch to apply it to (default main)" };
        var command = new Command("cherry-pick", "Apply one snapshot's changes onto main (records source-snapshot-id)") { table, snapshot, branch };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new RefService(GlobalOptions.OpenWarehouse(parse)).CherryPick(parse.GetValue(table)!, parse.GetValue(snapshot)!, parse.GetValue(branch));
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(result.WriteJson);
            else Console.WriteLine(result.ToText());
            return 0;
        });
        return command;
    }

    private static Command ExpireSnapshots()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var olderThan = new Option<string?>("--older-than") { Description = "Expire snapshots older than this time (ISO-8601 or epoch ms; default: now - history.expire.max-snapshot-age-ms, 5 days)" };
        var retainLast = new Option<int?>("--retain-last") { Description = "Always keep the newest N snapshots of each branch (default history.expire.min-snapshots-to-keep, 1)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be expired and deleted without changing anything" };
        var registered = TableCommands.DeleteRegisteredFiles();
        var command = new Command("expire-snapshots", "Expire old snapshots and delete the files only they used (tagged and branch-head snapshots are kept)") { table, olderThan, retainLast, dryRun, registered };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new MaintenanceService(GlobalOptions.OpenWarehouse(parse)).ExpireSnapshots(parse.GetValue(table)!, parse.GetValue(olderThan), parse.GetValue(retainLast), parse.GetValue(dryRun), parse.GetValue(registered));
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(json => MaintenanceReports.WriteJson(json, result));
            else Console.WriteLine(MaintenanceReports.ToText(result));
            return 0;
        });
        return command;
    }

    private static Command RemoveOrphans()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var olderThan = new Option<string?>("--older-than") { Description = "Only remove files last modified before this time (ISO-8601 or epoch ms; default 3 days ago)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List orphan files without deleting them" };
        var registered = TableCommands.DeleteRegisteredFiles();
        var command = new Command("remove-orphans", "Delete files under the table location that no snapshot or metadata file references") { table, olderThan, dryRun, registered };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new MaintenanceService(GlobalOptions.OpenWarehouse(parse)).RemoveOrphans(parse.GetValue(table)!, parse.GetValue(olderThan), parse.GetValue(dryRun), parse.GetValue(registered));
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(json => MaintenanceReports.WriteJson(json, result));
            else Console.WriteLine(MaintenanceReports.ToText(result));
            return 0;
        });
        return command;
    }

    private static Command Compact()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var filter = new Option<string?>("--filter") { Description = "Compact only partitions matching this filter, e.g. \"event_time >= '2024-01-03T00:00:00Z'\" (default: all)" };
        var target = new Option<long?>("--target-file-size") { Description = "Size of the files written in bytes (default write.target-file-size-bytes, 512 MiB)" };
        var minSize = new Option<long?>("--min-file-size") { Description = "Rewrite files smaller than this many bytes (default 75% of the target)" };
        var minInputs = new Option<int?>("--min-input-files") { Description = "Rewrite a partition only when it has at least this many small files (default 2)" };
        var command = new Command("compact", "Rewrite small data files into target-size files without changing any row") { table, filter, target, minSize, minInputs };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new MaintenanceService(GlobalOptions.OpenWarehouse(parse)).Compact(parse.GetValue(table)!, parse.GetValue(filter),
                parse.GetValue(target), parse.GetValue(minSize), parse.GetValue(minInputs));
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(json => MaintenanceReports.WriteJson(json, result));
            else Console.WriteLine(MaintenanceReports.ToText(result));
            return 0;
        });
        return command;
    }
}
