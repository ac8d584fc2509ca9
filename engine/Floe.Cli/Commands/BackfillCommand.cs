using System.CommandLine;
using System.Globalization;
using Floe.Application.Backfill;
using Floe.Application.Backfill.Distributed;

namespace Floe.Cli.Commands;

/// <summary><c>floe backfill DEF --from D --to D</c>: compute a feature group into its feature table.</summary>
internal static class BackfillCommand
{
    public static Command Build()
    {
        var definition = new Argument<string>("DEF") { Description = "Feature group definition (.json, .yaml or .yml)" };
        var from = new Option<string>("--from") { Description = "First day to write (a date, UTC)", Required = true };
        var to = new Option<string>("--to") { Description = "End of the days written, exclusive (a date, UTC)", Required = true };
        var source = new Option<string?>("--source") { Description = "Override the definition's source: a .csv/.parquet file or NS.TABLE" };
        var codeVersion = new Option<string?>("--code-version") { Description = "Code version recorded in lineage (default: git commit of the definition's repository)" };
        var branch = new Option<string?>("--branch") { Description = "Commit to this branch (created from main when missing)" };
        var wap = new Option<bool>("--wap") { Description = "Write-audit-publish: commit to --branch, default wap-<name>, never to main" };
        var tag = new Option<string?>("--tag") { Description = "Tag the run's last snapshot NAME in the same commit (the name must be free)" };
        var commitEvery = new Option<int>("--commit-every") { Description = "Commit every N days (each commit atomic; a rerun resumes after the last one)" };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Memory budget, e.g. 2g or 512m (default: half the available memory)" };
        var restart = new Option<bool>("--restart") { Description = "Start at --from even when an unfinished run of the same backfill could be resumed" };
        var plan = new Option<bool>("--plan") { Description = "Do not run: print a plan of one task per day as JSON, for `floe task run` in any process and `floe tasks commit`" };
        var command = new Command("backfill", "Compute a feature group for the days in [--from, --to) and replace those days of its feature table atomically")
        {
            definition, from, to, source, codeVersion, branch, wap, tag, commitEvery, maxMemory, restart, plan,
        };
        CommandRunner.SetAction(command, parse =>
        {
            var request = new BackfillRequest
            {
                DefinitionPath = parse.GetValue(definition)!,
                From = FeaturesCommands.ParseTime(parse.GetValue(from)!, "--from"),
                To = FeaturesCommands.ParseTime(parse.GetValue(to)!, "--to"),
                Source = parse.GetValue(source),
                CodeVersion = parse.GetValue(codeVersion),
                Branch = parse.GetValue(branch),
                Wap = parse.GetValue(wap),
                Tag = parse.GetValue(tag),
                CommitEveryDays = parse.GetValue(commitEvery),
                MaxMemoryBytes = parse.GetValue(maxMemory) is { } m ? MemoryBudget.ParseBytes(m) : 0,
                Resume = !parse.GetValue(restart),
            };
            if (parse.GetValue(plan))
            {
                CommandRunner.WriteJson(new DistributedBackfill(GlobalOptions.OpenWarehouse(parse, create: true)).Plan(request).WriteJson);
                return 0;
            }
            bool json = parse.GetValue(GlobalOptions.Json);
            var display = new ProgressDisplay(json ? ProgressDisplay.Mode.Silent : Console.IsOutputRedirected ? ProgressDisplay.Mode.Lines : ProgressDisplay.Mode.Terminal);
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                // The first Ctrl-C stops the run before its next day or commit; the default kill is left for a second one.
                if (cancel.IsCancellationRequested) return;
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            BackfillResult result;
            try
            {
                result = new BackfillService(GlobalOptions.OpenWarehouse(parse, create: true)).Run(request, display, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                display.Finish();
                Console.Error.WriteLine("floe: backfill cancelled; nothing more was committed (days committed before by --commit-every stay)");
                return 130;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            display.Finish();
            if (json)
            {
                CommandRunner.WriteJson(result.WriteJson);
            }
            else
            {
                Console.WriteLine($"backfilled {result.Table} on {result.Branch}: {result.Days} days ({Iso(result.From)} to {Iso(result.To)}{(result.ResumedFrom is { } r ? $", resumed at {Iso(r)}" : "")}), " +
                                  $"{result.Rows} rows in {result.Files} files, {result.Elapsed.TotalSeconds:F2} s; snapshot {result.SnapshotId}");
                foreach (var (k, v) in result.Lineage.OrderBy(p => p.Key, StringComparer.Ordinal)) Console.WriteLine($"  {k} = {v}");
            }
            return 0;
        });
        return command;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
