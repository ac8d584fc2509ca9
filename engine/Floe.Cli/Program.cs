using System.CommandLine;
using Floe.Cli.Commands;

namespace Floe.Cli;

/// <summary>The standalone <c>floe</c> binary: a thin face over Floe.Application.</summary>
internal static class Program
{
    internal const string Description = "Floe: an embedded feature-store lakehouse engine (Apache Iceberg tables, feature computation).";

    private static int Main(string[] args)
    {
        // Before the heap grows: regions committed from here on get huge pages (see HugePages).
        HugePages.AdviseGcHeap();
        var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (LeanParse.Suffices(args))
        {
            var parse = AddCommands(LeanParse.Root(), args).Parse(args);
            if (parse.Errors.Count == 0)
            {
                return parse.Invoke(invocation);
            }
        }

        return Run(AddCommands(new RootCommand(Description)), args, invocation);
    }

    private static int Run(RootCommand root, string[] args, InvocationConfiguration invocation)
    {
        var parse = root.Parse(args);
        if (parse.Action is System.CommandLine.Invocation.ParseErrorAction && parse.Errors.Count > 0)
        {
            return ParseErrors.Report(parse);
        }

        return parse.Invoke(invocation);
    }

    /// <summary>
    /// The top-level commands, in the order help lists them, each group with the names its builder gives its commands
    /// (LeanParseTests checks them): the lean parse builds only the groups whose names the command line contains.
    /// </summary>
    internal static readonly (string[] Names, Func<IEnumerable<Command>> Build)[] CommandGroups =
    [
        (["table"], () => [TableCommands.Build()]),
        (["catalog"], () => [CatalogCommands.Build()]),
        (["ingest"], () => [IngestCommand.Build()]),
        (["delete"], () => [DeleteCommand.Build()]),
        (["forget"], () => [ForgetCommand.Build()]),
        (["scan"], () => [ScanCommand.Build()]),
        (["snapshots"], () => [SnapshotsCommand.Build()]),
        (["generate"], () => [GenerateCommand.Build()]),
        (["features"], () => [FeaturesCommands.Build()]),
        (["stream"], () => [StreamCommand.Build()]),
        (["backfill"], () => [BackfillCommand.Build()]),
        (["task", "tasks"], TaskCommands.Build),
        (["lineage"], () => [LineageCommand.Build()]),
        (["training-set"], () => [TrainingSetCommand.Build()]),
        (["audit", "publish"], WapCommands.Build),
        (["materialize", "get", "consistency-check"], OnlineCommands.Build),
        (["branch"], () => [BranchCommands.Build()]),
        (["tag"], () => [TagCommands.Build()]),
        (["cherry-pick", "expire-snapshots", "remove-orphans", "compact"], MaintenanceCommands.Build),
    ];

    /// <summary>
    /// The global options and the commands added to <paramref name="root"/>: every command, or with
    /// <paramref name="named"/> only the groups of commands named by one of those tokens (a command whose name is no
    /// token of the command line cannot be parsed from it; building all ~40 cost ~9% of a short command's CPU).
    /// </summary>
    internal static T AddCommands<T>(T root, IReadOnlyCollection<string>? named = null) where T : Command
    {
        root.Add(GlobalOptions.Warehouse);
        root.Add(GlobalOptions.Catalog);
        root.Add(GlobalOptions.CatalogToken);
        root.Add(GlobalOptions.CatalogCredential);
        root.Add(GlobalOptions.Json);
        OnlineCommands.AddOptions(root);
        foreach (var (names, build) in CommandGroups)
        {
            if (named is not null && !AnyOf(names, named)) { continue; }
            foreach (var command in build()) root.Add(command);
        }
        return root;
    }

    private static bool AnyOf(string[] names, IReadOnlyCollection<string> tokens)
    {
        foreach (var token in tokens)
        {
            if (Array.IndexOf(names, token) >= 0) { return true; }
        }
        return false;
    }
}
