using System.CommandLine;
using Floe.Application.Tables;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Cli.Commands;

/// <summary><c>floe branch create|list|drop|replace|fast-forward</c>.</summary>
internal static class BranchCommands
{
    public static Command Build()
    {
        var branch = new Command("branch", "Create, list, drop, replace and fast-forward branches");
        branch.Add(Create());
        branch.Add(RefCommands.List(SnapshotRefType.Branch));
        branch.Add(RefCommands.Drop(SnapshotRefType.Branch));
        branch.Add(RefCommands.Replace(SnapshotRefType.Branch));
        branch.Add(FastForward());
        return branch;
    }

    private static Command Create()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var name = new Argument<string>("NAME") { Description = "Branch name" };
        var from = new Option<string?>("--from") { Description = "Branch, tag or snapshot id to start from (default: main's head)" };
        var minSnapshots = new Option<int?>("--min-snapshots-to-keep") { Description = "Expiry keeps at least this many of the branch's newest snapshots" };
        var maxSnapshotAge = new Option<long?>("--max-snapshot-age-ms") { Description = "Expiry keeps the branch's snapshots younger than this" };
        var maxRefAge = new Option<long?>("--max-ref-age-ms") { Description = "Expiry drops the branch once its head is older than this" };
        var command = new Command("create", "Create a branch") { table, name, from, minSnapshots, maxSnapshotAge, maxRefAge };
        CommandRunner.SetAction(command, parse =>
        {
            var created = new RefService(GlobalOptions.OpenWarehouse(parse)).CreateBranch(parse.GetValue(table)!, parse.GetValue(name)!,
                parse.GetValue(from), parse.GetValue(minSnapshots), parse.GetValue(maxSnapshotAge), parse.GetValue(maxRefAge));
            RefCommands.Print(parse, created);
            return 0;
        });
        return command;
    }

    private static Command FastForward()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var branch = new Argument<string>("BRANCH") { Description = "Branch to move (created when missing)" };
        var to = new Argument<string>("TO") { Description = "Branch, tag or snapshot id whose history contains BRANCH's head" };
        var command = new Command("fast-forward", "Move BRANCH to TO's snapshot when BRANCH's head is an ancestor of it") { table, branch, to };
        CommandRunner.SetAction(command, parse =>
        {
            var moved = new RefService(GlobalOptions.OpenWarehouse(parse)).FastForward(parse.GetValue(table)!, parse.GetValue(branch)!, parse.GetValue(to)!);
            RefCommands.Print(parse, moved);
            return 0;
        });
        return command;
    }
}
