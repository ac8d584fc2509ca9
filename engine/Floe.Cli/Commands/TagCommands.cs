using System.CommandLine;
using Floe.Application.Tables;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Cli.Commands;

/// <summary><c>floe tag create|list|drop|replace</c>.</summary>
internal static class TagCommands
{
    public static Command Build()
    {
        var tag = new Command("tag", "Create, list, drop and replace tags");
        tag.Add(Create());
        tag.Add(RefCommands.List(SnapshotRefType.Tag));
        tag.Add(RefCommands.Drop(SnapshotRefType.Tag));
        tag.Add(RefCommands.Replace(SnapshotRefType.Tag));
        return tag;
    }

    private static Command Create()
    {
        var table = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var name = new Argument<string>("NAME") { Description = "Tag name" };
        var from = new Option<string?>("--from") { Description = "Branch, tag or snapshot id to label (default: main's head)" };
        var maxRefAge = new Option<long?>("--max-ref-age-ms") { Description = "Expiry drops the tag once its snapshot is older than this" };
        var command = new Command("create", "Create a tag") { table, name, from, maxRefAge };
        CommandRunner.SetAction(command, parse =>
        {
            var created = new RefService(GlobalOptions.OpenWarehouse(parse)).CreateTag(parse.GetValue(table)!, parse.GetValue(name)!,
                parse.GetValue(from), parse.GetValue(maxRefAge));
            RefCommands.Print(parse, created);
            return 0;
        });
        return command;
    }
}
