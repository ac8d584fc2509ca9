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
            var parse = AddCommands(LeanParse.Root()).Parse(args);
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

    /// <summary>The global options and every command, added to <paramref name="root"/>.</summary>
    internal static T AddCommands<T>(T root) where T : Command
    {
        root.Add(GlobalOptions.Warehouse);
        root.Add(GlobalOptions.Catalog);
        root.Add(GlobalOptions.CatalogToken);
        root.Add(GlobalOptions.CatalogCredential);
        root.Add(GlobalOptions.Json);
        OnlineCommands.AddOptions(root);
        root.Add(TableCommands.Build());
        root.Add(CatalogCommands.Build());
        root.Add(IngestCommand.Build());
        root.Add(DeleteCommand.Build());
        root.Add(ForgetCommand.Build());
        root.Add(ScanCommand.Build());
        root.Add(SnapshotsCommand.Build());
        root.Add(GenerateCommand.Build());
        root.Add(FeaturesCommands.Build());
        root.Add(StreamCommand.Build());
        root.Add(BackfillCommand.Build());
        foreach (var command in TaskCommands.Build()) root.Add(command);
        root.Add(LineageCommand.Build());
        root.Add(TrainingSetCommand.Build());
        foreach (var command in WapCommands.Build()) root.Add(command);
        foreach (var command in OnlineCommands.Build()) root.Add(command);
        root.Add(BranchCommands.Build());
        root.Add(TagCommands.Build());
        foreach (var command in MaintenanceCommands.Build()) root.Add(command);
        return root;
    }
}
