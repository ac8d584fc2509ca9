using System.CommandLine;
using Floe.Application.Backfill.Distributed;

namespace Floe.Cli.Commands;

/// <summary>
/// <c>floe task run TASK</c> and <c>floe tasks commit PLAN RESULT...</c>: the distributed backfill protocol. A
/// scheduler takes the tasks of <c>floe backfill --plan</c>, runs each with <c>task run</c> in any process that sees
/// the warehouse, and commits their results once with <c>tasks commit</c>.
/// </summary>
internal static class TaskCommands
{
    public static IEnumerable<Command> Build() => [Task(), Tasks()];

    private static Command Task()
    {
        var task = new Argument<string>("TASK") { Description = "A task JSON file (one element of a plan's \"tasks\"), or - for stdin" };
        var output = new Option<string?>("--output") { Description = "Write the result JSON to this file instead of stdout" };
        var run = new Command("run", "Run one task of a backfill plan: write its data files, commit nothing, print its result as JSON") { task, output };
        CommandRunner.SetAction(run, parse =>
        {
            var taskJson = ReadInput(parse.GetValue(task)!);
            var result = new DistributedBackfill(GlobalOptions.OpenWarehouse(parse)).Execute(BackfillTask.Parse(taskJson, "TASK"));
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, result.ToJson());
            else CommandRunner.WriteJson(result.WriteJson);
            return 0;
        });
        return new Command("task", "Tasks of the distributed backfill protocol") { run };
    }

    private static Command Tasks()
    {
        var plan = new Argument<string>("PLAN") { Description = "The plan JSON file (`floe backfill --plan`)" };
        var results = new Argument<string[]>("RESULT") { Description = "Task result JSON files (one result or an array each), one result per planned day", Arity = ArgumentArity.OneOrMore };
        var commit = new Command("commit", "Commit the results of a plan's tasks as one snapshot (a dynamic partition overwrite of the planned days)") { plan, results };
        CommandRunner.SetAction(commit, parse =>
        {
            var parsedPlan = BackfillPlan.Parse(ReadInput(parse.GetValue(plan)!), "PLAN");
            var all = new List<BackfillTaskResult>();
            foreach (var file in parse.GetValue(results) ?? [])
            {
                var text = ReadInput(file);
                if (text.TrimStart().StartsWith('[')) all.AddRange(BackfillTaskResult.ParseList(text, file));
                else all.Add(BackfillTaskResult.Parse(text, file));
            }
            var result = new DistributedBackfill(GlobalOptions.OpenWarehouse(parse)).Commit(parsedPlan, all);
            if (parse.GetValue(GlobalOptions.Json)) CommandRunner.WriteJson(result.WriteJson);
            else Console.WriteLine($"committed {result.Table} on {result.Branch}: {result.Days} days, {result.Rows} rows in {result.Files} files; snapshot {result.SnapshotId}");
            return 0;
        });
        return new Command("tasks", "Commit the results of the distributed backfill protocol") { commit };
    }

    private static string ReadInput(string path) => path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
}
