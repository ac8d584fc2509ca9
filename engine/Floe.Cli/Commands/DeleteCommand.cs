using System.CommandLine;
using Floe.Application.Tables;

namespace Floe.Cli.Commands;

/// <summary><c>floe delete NS.TABLE --filter EXPR</c>: remove exactly the matching rows in one commit.</summary>
internal static class DeleteCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NS.TABLE") { Description = "Table name" };
        var filter = new Option<string>("--filter") { Description = "Rows to delete, e.g. \"entity_id = 42\"; files whose rows all match are dropped, others rewritten without the matching rows", Required = true };
        var branch = new Option<string>("--branch") { Description = "Commit to this branch instead of main", DefaultValueFactory = _ => "main" };
        var property = new Option<string[]>("--property") { Description = "Snapshot summary property k=v (repeatable)" };
        var command = new Command("delete", "Delete exactly the rows matching a filter, atomically (whole files when all rows match, else copy-on-write rewrites or merge-on-read delete files, as write.delete.mode says)") { name, filter, branch, property };
        CommandRunner.SetAction(command, parse =>
        {
            var result = new DeleteService(GlobalOptions.OpenWarehouse(parse)).Delete(parse.GetValue(name)!, parse.GetValue(filter)!,
                parse.GetValue(branch)!, TableService.ParseProperties(parse.GetValue(property) ?? Array.Empty<string>()));
            if (parse.GetValue(GlobalOptions.Json))
            {
                CommandRunner.WriteJson(result.WriteJson);
            }
            else
            {
                Console.WriteLine(result.SnapshotId == 0
                    ? "no row matched; nothing committed"
                    : result.Mode == "merge-on-read"
                        ? $"committed snapshot {result.SnapshotId} ({result.Operation}, merge-on-read): {result.DeletedFiles} files removed, {result.RewrittenFiles} given deletes in {result.DeleteFiles} delete file(s)/vector(s), {result.DeletedRows} rows removed"
                        : $"committed snapshot {result.SnapshotId} ({result.Operation}): {result.DeletedFiles} files removed, {result.RewrittenFiles} rewritten, {result.DeletedRows} rows removed");
            }
            return 0;
        });
        return command;
    }
}
